"""Reporting periods as leaders name them: a month ``2026-03``, a quarter ``2026-Q1`` or a
year ``2026``, in the district's local time (+08:00); the parsing is the shared one
(``casebus.domain.reporting_period.period_named``)."""

from __future__ import annotations

from datetime import timedelta, timezone

from casebus.domain.reporting_period import PeriodNameInvalid, ReportingPeriod, period_named

DISTRICT_TIME = timezone(timedelta(hours=8))
BadPeriod = PeriodNameInvalid  # the name reporting's routes catch


def parse_period(name: str) -> ReportingPeriod:
    return period_named(name, DISTRICT_TIME)


def parse_month(name: str) -> ReportingPeriod:
    return period_named(name, DISTRICT_TIME, months_only=True)


def months_back(last: str, count: int) -> list[str]:
    """``count`` month names ending with ``last`` (oldest first)."""
    year, month = int(last[:4]), int(last[5:7])
    names = []
    for _ in range(count):
        names.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return names[::-1]
