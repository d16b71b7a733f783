"""Deadline limits of the Regulations on Letters and Visits Work (2022) and how periods are counted.

The law's limits are the defaults and the upper bound; a district may set tighter limits per
category. A period is counted the Chinese way (see ``calendar``): the start day is not counted,
a calendar-day period whose last day is a rest day ends on the next working day, and a period
ends at the end of its last day, local time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from types import MappingProxyType

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.errors import DomainRuleViolation


class ClockKind(StrEnum):
    REGISTER_AND_FORWARD = "register-and-forward"  # received -> 15 days (Art. 22)
    NOTIFY_ACCEPTANCE = "notify-acceptance"  # received by the unit -> 15 days (Art. 23)
    RETURN_OUTSIDE_REMIT = "return-outside-remit"  # assigned -> 5 working days (Art. 23)
    HANDLE_AND_ANSWER = "handle-and-answer"  # accepted -> 60 days (Art. 34)
    REQUEST_REVIEW = "request-review"  # answer delivered -> 30 days (Art. 35)
    REVIEW_DECISION = "review-decision"  # review accepted -> 30 days (Art. 35)
    REQUEST_REEXAMINATION = "request-reexamination"  # review decided -> 30 days (Art. 36)
    REEXAMINATION_DECISION = "reexamination-decision"  # accepted -> 30 days, no hearing (Art. 36)
    SUPERVISION = "supervision"  # a supervision order's own deadline


class DayCount(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class Limit:
    days: int
    count: DayCount

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(f"a limit is at least 1 day, not {self.days}")


LAW_LIMITS: Mapping[ClockKind, Limit] = MappingProxyType({
    ClockKind.REGISTER_AND_FORWARD: Limit(15, DayCount.CALENDAR),
    ClockKind.NOTIFY_ACCEPTANCE: Limit(15, DayCount.CALENDAR),
    ClockKind.RETURN_OUTSIDE_REMIT: Limit(5, DayCount.WORKING),
    ClockKind.HANDLE_AND_ANSWER: Limit(60, DayCount.CALENDAR),
    ClockKind.REQUEST_REVIEW: Limit(30, DayCount.CALENDAR),
    ClockKind.REVIEW_DECISION: Limit(30, DayCount.CALENDAR),
    ClockKind.REQUEST_REEXAMINATION: Limit(30, DayCount.CALENDAR),
    ClockKind.REEXAMINATION_DECISION: Limit(30, DayCount.CALENDAR),
})
MAX_EXTENSION_DAYS = 30  # Art. 34: one extension of at most 30 days
EXTENDABLE_KINDS: frozenset[ClockKind] = frozenset({ClockKind.HANDLE_AND_ANSWER})  # Art. 34 only
CHINA_TZ: tzinfo = timezone(timedelta(hours=8))
DEFAULT_WARN_WORKING_DAYS = 3  # a clock warns at the start of the 3rd working day before due
# Clock events recorded before ``warn_at`` existed warn this long before due.
DEFAULT_WARN_LEAD = timedelta(days=3)


def check_limit_within_law(kind: ClockKind, limit: Limit) -> None:
    """Raise ``limit-within-law`` unless ``limit`` is no longer than the law's limit for ``kind``.

    Counting must match the law's (working vs calendar days): otherwise "10 working days" could
    outlast "15 days" across a holiday week. SUPERVISION has no law limit: the order sets it.
    """
    law = LAW_LIMITS.get(kind)
    if law is None:
        return
    if limit.count != law.count or limit.days > law.days:
        raise DomainRuleViolation(
            "limit-within-law",
            f"{kind}: {limit.days} {limit.count} days exceeds the law's "
            f"{law.days} {law.count} days",
        )


@dataclass(frozen=True)
class DeadlinePolicy:
    """A district's limits: the law's, tightened per (category, kind); category None = all."""

    district: str
    overrides: Mapping[tuple[str | None, ClockKind], Limit] = field(default_factory=dict)
    # A clock warns at the start of this working day counted back from its due instant.
    warn_working_days: int = DEFAULT_WARN_WORKING_DAYS

    def __post_init__(self) -> None:
        for (_, kind), limit in self.overrides.items():
            check_limit_within_law(kind, limit)
        if self.warn_working_days < 0:
            raise ValueError("warn_working_days must not be negative")

    def limit_for(self, kind: ClockKind, category: str | None = None) -> Limit:
        for key in ((category, kind), (None, kind)):
            if key in self.overrides:
                return self.overrides[key]
        if kind in LAW_LIMITS:
            return LAW_LIMITS[kind]
        raise DomainRuleViolation(
            "supervision-deadline-set-by-order",
            f"{kind} has no default limit in district {self.district}: the order must set it",
        )


def due_at(start: datetime, limit: Limit, calendar: WorkingDayCalendar, tz: tzinfo = CHINA_TZ,
           not_counted: frozenset[date] = frozenset(), extension_days: int = 0) -> datetime:
    """The instant the period expires: the start day is not counted; calendar-day periods ending
    on a rest day roll to the next working day; the period ends at the end of its last day (local
    time), i.e. returns local midnight at the start of the following day, as an aware datetime.

    ``not_counted`` days (a paused clock's hearing days, see ``days_not_counted``) are skipped
    like the start day, so they push the last day later. An extension (Art. 34) is a further
    period of ``extension_days``, counted the same way from the end of the original period.
    """
    if start.tzinfo is None:
        raise ValueError("naive datetime; pass an aware datetime")
    last = _last_day(start.astimezone(tz).date(), limit.days, limit.count, calendar, not_counted)
    if extension_days:
        last = _last_day(last, extension_days, limit.count, calendar, not_counted)
    return datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)


def warning_starts(due: datetime, working_days: int, calendar: WorkingDayCalendar,
                   tz: tzinfo = CHINA_TZ) -> datetime:
    """When a clock due at ``due`` warns: the start (local midnight) of the ``working_days``-th
    working day counting back from the due instant. The day the due instant ends counts first
    (for a period ending at midnight, its last day); rest days are skipped, make-up working
    days count. So 3 working days before a period ending on Thursday 8 October 2026 is
    Tuesday 29 September: the National Day holidays in between do not shorten the warning.
    ``working_days`` 0 means no warning before the due instant itself.
    """
    if due.tzinfo is None:
        raise ValueError("naive datetime; pass an aware datetime")
    if working_days < 0:
        raise ValueError(f"working_days must not be negative, not {working_days}")
    if working_days == 0:
        return due
    local = due.astimezone(tz)
    # The latest day that starts before the due instant.
    day = local.date() - timedelta(days=1) if local.time() == time.min else local.date()
    counted = 1 if calendar.is_working_day(day) else 0
    while counted < working_days:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return datetime.combine(day, time.min, tzinfo=tz)


def _last_day(start: date, days: int, count: DayCount, calendar: WorkingDayCalendar,
              not_counted: frozenset[date]) -> date:
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day in not_counted:
            continue
        if count == DayCount.WORKING and not calendar.is_working_day(day):
            continue
        counted += 1
    if count == DayCount.CALENDAR:
        day = calendar.next_working_day_on_or_after(day)
    return day


def days_not_counted(pauses: Iterable[tuple[datetime, datetime]], tz: tzinfo = CHINA_TZ
                     ) -> frozenset[date]:
    """Days a paused clock does not count (Art. 36: hearing time is not counted).

    A day counts only if the clock is running when the day ends: a pause from day X (any hour)
    to day Y (any hour) removes days X .. Y-1, so a pause within one day removes nothing and a
    pause never makes a clock due earlier.
    """
    days: set[date] = set()
    for paused_at, resumed_at in pauses:
        day, last = paused_at.astimezone(tz).date(), resumed_at.astimezone(tz).date()
        while day < last:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)
