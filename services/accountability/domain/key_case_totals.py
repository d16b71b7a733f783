"""What the ledger shows for a period (a month, quarter or year in the district's local time):
cases entered in it, resolved in it, and open at its end, each in all and by entry reason."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from casebus.domain.reporting_period import ReportingPeriod
from services.accountability.domain.key_case_ledger import EntryReason

_PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-(?:(?P<month>[0-9]{2})|Q(?P<quarter>[0-9])))?")


class BadPeriod(ValueError):
    pass


def period_named(name: str, tz: tzinfo) -> ReportingPeriod:
    """``2026-03`` (a month), ``2026-Q1`` (a quarter) or ``2026`` (a year)."""
    found = _PERIOD.fullmatch(name)
    if found is None or not 2000 <= int(found["year"]) <= 2100:
        raise BadPeriod(f"{name!r} is not a month (2026-03), quarter (2026-Q1) or year (2026)")
    year = int(found["year"])
    try:
        if found["month"]:
            return ReportingPeriod.month(year, int(found["month"]), tz)
        if found["quarter"]:
            return ReportingPeriod.quarter(year, int(found["quarter"]), tz)
    except ValueError as error:
        raise BadPeriod(str(error)) from error
    return ReportingPeriod.year(year, tz)


@dataclass(frozen=True)
class LedgerEntry:
    case_id: str
    reason: EntryReason
    entered_at: datetime
    resolved_at: datetime | None


def is_open_long(registered_at: datetime, now: datetime, days: int) -> bool:
    return now - registered_at > timedelta(days=days)


def totals(entries: Iterable[LedgerEntry], period: ReportingPeriod) -> dict[str, dict[str, int]]:
    """``{"entered": {"all": n, <reason>: n, ...}, "resolved": ..., "open_at_end": ...}``."""
    shown = {name: {"all": 0, **{r.value: 0 for r in EntryReason}}
             for name in ("entered", "resolved", "open_at_end")}
    for entry in entries:
        facts = {"entered": period.contains(entry.entered_at),
                 "resolved": period.contains(entry.resolved_at),
                 "open_at_end": entry.entered_at < period.end and (
                     entry.resolved_at is None or entry.resolved_at >= period.end)}
        for name, counted in facts.items():
            if counted:
                shown[name]["all"] += 1
                shown[name][entry.reason.value] += 1
    return shown
