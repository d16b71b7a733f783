"""Reporting periods as leaders name them: a month ``2026-03``, a quarter ``2026-Q1`` or a
year ``2026``, in the district's local time (+08:00)."""

from __future__ import annotations

import re
from datetime import timedelta, timezone

from casebus.domain.reporting_period import ReportingPeriod

DISTRICT_TIME = timezone(timedelta(hours=8))
FIRST_YEAR, LAST_YEAR = 2000, 2100  # bounded: no input may reach datetime out of range
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR = re.compile(r"([0-9]{4})")


class BadPeriod(ValueError):
    """A period name that is not a month, quarter or year in range."""


def parse_period(name: str) -> ReportingPeriod:
    if (m := _MONTH.fullmatch(name)) and 1 <= int(m[2]) <= 12:
        return ReportingPeriod.month(_year(m[1]), int(m[2]), DISTRICT_TIME)
    if m := _QUARTER.fullmatch(name):
        return ReportingPeriod.quarter(_year(m[1]), int(m[2]), DISTRICT_TIME)
    if m := _YEAR.fullmatch(name):
        return ReportingPeriod.year(_year(m[1]), DISTRICT_TIME)
    raise BadPeriod(f"{name!r} is not a month (2026-03), a quarter (2026-Q1) or a year (2026)")


def parse_month(name: str) -> ReportingPeriod:
    if not _MONTH.fullmatch(name):
        raise BadPeriod(f"{name!r} is not a month such as 2026-03")
    return parse_period(name)


def months_back(last: str, count: int) -> list[str]:
    """``count`` month names ending with ``last`` (oldest first)."""
    year, month = int(last[:4]), int(last[5:7])
    names = []
    for _ in range(count):
        names.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return names[::-1]


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadPeriod(f"year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")
    return year
