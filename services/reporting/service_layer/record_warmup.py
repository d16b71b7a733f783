"""After a start, parse the case records this month's and last month's rates read, before a
leader asks: the first read after a restart would otherwise parse every record of the month
(about 0.9 s at 20,000 records, bench/README.md) while later reads parse only changed rows."""

from __future__ import annotations

import logging
import time

import asyncpg

from casebus.clock import Clock
from casebus.domain.reporting_period import ReportingPeriod
from services.reporting.adapters.case_record_reads import keep_settled_in
from services.reporting.adapters.record_cache import RecordCache
from services.reporting.domain.periods import DISTRICT_TIME

log = logging.getLogger(__name__)


def recent_months(clock: Clock) -> ReportingPeriod:
    """Last month and this one, in the districts' time: what dashboards ask for most."""
    now = clock.now().astimezone(DISTRICT_TIME)
    this = ReportingPeriod.month(now.year, now.month, DISTRICT_TIME)
    year, month = (now.year - 1, 12) if now.month == 1 else (now.year, now.month - 1)
    return ReportingPeriod(ReportingPeriod.month(year, month, DISTRICT_TIME).start, this.end)


async def warm_records(pool: asyncpg.Pool, cache: RecordCache, clock: Clock) -> int:
    started = time.monotonic()
    kept = await keep_settled_in(pool, recent_months(clock), cache)
    log.info("case records parsed for the rates ahead of the first read",
             extra={"records": kept, "seconds": round(time.monotonic() - started, 2)})
    return kept
