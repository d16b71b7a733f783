"""The period a rate, a ranking, an assessment or a spot check is about.

A period is half-open, ``[start, end)``, so consecutive months never count a moment twice.
A month or a year is taken in the district's local time, which the caller passes in.
For the running month, pass a period that ends now: the domain never reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo


@dataclass(frozen=True)
class ReportingPeriod:
    start: datetime
    end: datetime
    # The bounds in UTC, for ``contains``: two aware datetimes that share one tzinfo object
    # compare without both being converted to UTC first (~5 ns against ~600), and case records'
    # event times are UTC (a month's rates compare ~20,000 records several times each).
    _start_utc: datetime = field(init=False, repr=False, compare=False)
    _end_utc: datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a reporting period needs aware datetimes")
        if self.end <= self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        object.__setattr__(self, "_start_utc", self.start.astimezone(UTC))
        object.__setattr__(self, "_end_utc", self.end.astimezone(UTC))

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self._start_utc <= moment < self._end_utc

    @classmethod
    def month(cls, year: int, month: int, tz: tzinfo) -> ReportingPeriod:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        return cls(datetime(year, month, 1, tzinfo=tz),
                   datetime(next_year, next_month, 1, tzinfo=tz))

    @classmethod
    def year(cls, year: int, tz: tzinfo) -> ReportingPeriod:
        return cls(datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz))

    @classmethod
    def quarter(cls, year: int, quarter: int, tz: tzinfo) -> ReportingPeriod:
        if not 1 <= quarter <= 4:
            raise ValueError(f"a year has quarters 1..4, not {quarter}")
        first = cls.month(year, 3 * quarter - 2, tz)
        last = cls.month(year, 3 * quarter, tz)
        return cls(first.start, last.end)


# Periods as leaders name them, in requests: a month, a quarter or a year. Bounded so that no
# input reaches ``datetime`` out of range.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_NAME = re.compile(r"(?P<year>[0-9]{4})(?:-(?:(?P<month>[0-9]{2})|Q(?P<quarter>[1-4])))?")


class PeriodNameInvalid(ValueError):
    """Not a month (2026-03), a quarter (2026-Q1) or a year (2026) between 2000 and 2100."""


def period_named(name: str, tz: tzinfo, *, months_only: bool = False) -> ReportingPeriod:
    """``2026-03`` (a month), ``2026-Q1`` (a quarter) or ``2026`` (a year), in ``tz``."""
    found = _NAME.fullmatch(name)
    what = "a month such as 2026-03" if months_only else \
        "a month (2026-03), a quarter (2026-Q1) or a year (2026)"
    if found is None or (months_only and not found["month"]):
        raise PeriodNameInvalid(f"{name!r} is not {what}")
    year = int(found["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodNameInvalid(f"year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")
    if found["month"]:
        month = int(found["month"])
        if not 1 <= month <= 12:
            raise PeriodNameInvalid(f"{name!r} is not {what}")
        return ReportingPeriod.month(year, month, tz)
    if found["quarter"]:
        return ReportingPeriod.quarter(year, int(found["quarter"]), tz)
    return ReportingPeriod.year(year, tz)
