"""What each export holds: the rows the JSON API answers (the same service-layer reads, never
computed again here), at most ``MAX_ROWS`` of them (the answer says when it was cut).

Filters that do not apply to a report are refused rather than ignored, so a spreadsheet sent
upward never claims a filter it does not have.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.reporting_period import ReportingPeriod
from services.reporting.adapters.record_cache import RecordCache
from services.reporting.domain.periods import DISTRICT_TIME, BadPeriod, parse_month, parse_period
from services.reporting.domain.rate_groups import GroupBy
from services.reporting.service_layer import exports_reads as reads
from services.reporting.service_layer import rate_reads
from services.reporting.service_layer.exports_columns import (
    COLUMNS,
    GROUP_HEADERS,
    TITLES,
    Column,
    Report,
)
from services.reporting.service_layer.standards import Standards

MAX_ROWS = 10_000  # an export is cut here (memory stays bounded), and says so


class ExportRefused(ValueError):
    """A parameter this export cannot take (422, naming the field)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


@dataclass(frozen=True)
class ExportQuery:
    report: Report
    district: str
    period: str | None = None
    unit: str | None = None
    community: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Table:
    report: Report
    label: str  # the period's name, or the local day the list was taken
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    truncated: bool

    def title(self, lang: str) -> str:
        zh, en = TITLES[self.report]
        return zh if lang == "zh" else en


def refuse_filters(q: ExportQuery, *fields: str) -> None:
    for name in fields:
        if getattr(q, name) is not None:
            raise ExportRefused(name, f"{name} does not apply to the {q.report} export")


def period_of(name: str | None, *, months_only: bool = False) -> ReportingPeriod | None:
    try:
        if name is None:
            return None
        return parse_month(name) if months_only else parse_period(name)
    except BadPeriod as exc:
        raise ExportRefused("period", str(exc)) from exc


def group_of(q: ExportQuery, allowed: tuple[str, ...]) -> tuple[str, str | None]:
    """Which grouping a rates or ranking export is of: the one its filter names (unit by
    default), keeping only that group's row."""
    named = [(f, getattr(q, f)) for f in ("unit", "community", "category")
             if getattr(q, f) is not None]
    if len(named) > 1:
        raise ExportRefused(named[1][0], "name at most one of unit, community and category")
    by, key = named[0] if named else ("unit", None)
    if by not in allowed:
        raise ExportRefused(by, f"the {q.report} export is by {' or '.join(allowed)}")
    return by, key


def _keyed(columns: tuple[Column, ...], by: str) -> tuple[Column, ...]:
    zh, en = GROUP_HEADERS[by]
    return tuple(replace(c, zh=zh, en=en) if c.key == "key" else c for c in columns)


def _rates_row(key: str, rates: dict[str, Any]) -> dict[str, Any]:
    return {"key": key, **{f"rate:{kind}": r["decimal"] for kind, r in rates.items()}}


async def table(pool: asyncpg.Pool, standards: Standards, cache: RecordCache, q: ExportQuery,
                now: datetime) -> Table:
    today = now.astimezone(DISTRICT_TIME)
    month = q.period or today.strftime("%Y-%m")
    columns = COLUMNS[q.report]
    if q.report in (Report.BACKLOG, Report.OVERDUE):
        refuse_filters(q, "period")  # lists of what is open now
        fetch = reads.backlog if q.report is Report.BACKLOG else reads.overdue
        rows = await fetch(pool, q.district, now, q.unit, q.community, q.category, MAX_ROWS + 1)
        label = today.date().isoformat()
    elif q.report is Report.RATES:
        by, key = group_of(q, ("unit", "community", "category"))
        period_of(month)
        body = await rate_reads.rates(pool, standards, cache, q.district, month, GroupBy(by),
                                      MAX_ROWS + 1, 0)
        rows = [_rates_row(g["key"], g["rates"]) for g in body["groups"]
                if key is None or g["key"] == key]
        columns, label = _keyed(columns, by), month
    elif q.report is Report.RANKINGS:
        by, key = group_of(q, ("unit", "community"))
        period_of(month, months_only=True)
        ranking = await reads.published_ranking(pool, q.district, month, by)
        rows = [{"position": e["position"], "score": (e["score"] or {}).get("decimal"),
                 **_rates_row(e["key"], e["rates"])} for e in ranking["entries"]
                if key is None or e["key"] == key]
        columns, label = _keyed(columns, by), month
    elif q.report is Report.BREACHES:
        refuse_filters(q, "community", "category")
        rows = await reads.breaches(pool, q.district, period_of(q.period), q.unit,
                                    MAX_ROWS + 1)
        label = q.period or today.date().isoformat()
    else:
        rows = await reads.key_cases(pool, q.district, now, period_of(q.period), q.unit,
                                     q.community, q.category, MAX_ROWS + 1)
        label = q.period or today.date().isoformat()
    return Table(q.report, label, columns, rows[:MAX_ROWS], len(rows) > MAX_ROWS)

