"""The working-day calendar of a district.

Chinese procedure counts periods so: the day on which a period starts is not counted, and a
period whose last day falls on a rest day ends on the next working day. Working days skip
weekends and public holidays, except make-up working days (调休) that fall on a weekend.
Each district keeps its own calendar; it is a value, edited by making a new one.

A calendar built from the national schedule (``national_calendar``) knows which years that
schedule covers (``scheduled_years``). For a day in any other year it still answers (weekends
only, so deadlines can be computed) but first calls ``on_unscheduled_year`` with the year: the
adapter that injects the callback logs and counts it, so a missing schedule is never silent.
The domain stays pure; only the injected callback has effects. ``scheduled_years=None`` means
"not tracked" (hand-made calendars, e.g. in tests) and never calls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkingDayCalendar:
    district: str
    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
    scheduled_years: frozenset[int] | None = None  # None: not tracked
    # Not part of the value: two calendars with the same days are equal whoever listens.
    on_unscheduled_year: Callable[[int], None] | None = field(
        default=None, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        both = self.holidays & self.makeup_workdays
        if both:
            raise ValueError(f"dates are both holiday and make-up working day: {sorted(both)}")

    def is_scheduled(self, year: int) -> bool:
        """Whether ``year`` has a national schedule (always True when years are not tracked)."""
        return self.scheduled_years is None or year in self.scheduled_years

    def is_working_day(self, day: date) -> bool:
        if self.on_unscheduled_year is not None and not self.is_scheduled(day.year):
            self.on_unscheduled_year(day.year)
        if day in self.makeup_workdays:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def next_working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_calendar_days(self, start: date, n: int) -> date:
        """A period of n calendar days; if it ends on a rest day it ends on the next working day."""
        return self.next_working_day_on_or_after(start + timedelta(days=n))

    def with_holidays(self, days: Iterable[date]) -> WorkingDayCalendar:
        added = frozenset(days)
        return replace(self, holidays=self.holidays | added,
                       makeup_workdays=self.makeup_workdays - added)

    def with_makeup_workdays(self, days: Iterable[date]) -> WorkingDayCalendar:
        added = frozenset(days)
        return replace(self, makeup_workdays=self.makeup_workdays | added,
                       holidays=self.holidays - added)
