"""What the ledger shows for a period (a month, quarter or year in the district's local time):
cases entered in it, resolved in it, and open at its end, each in all and by entry reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from casebus.domain.reporting_period import PeriodNameInvalid, ReportingPeriod, period_named
from services.accountability.domain.key_case_ledger import EntryReason

# Period names are parsed once, for every service.
BadPeriod = PeriodNameInvalid
__all__ = ["BadPeriod", "LedgerEntry", "is_open_long", "period_named", "totals"]


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
