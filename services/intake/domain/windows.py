"""The petitioner's windows, on the district's calendar and limits (``casebus.domain.deadlines``
counts them: start day not counted, a window ending on a rest day ends on the next working day,
and it closes at the end of its last local day).

Law (Regulations 2022): review (复查) may be requested within 30 days of the answer's delivery
(Art. 35), re-examination (复核) within 30 days of the review decision's delivery (Art. 36); a
district's ``DeadlinePolicy`` may shorten them per category, never lengthen them. The evaluation
window is local practice: 30 days unless the district says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import (
    CHINA_TZ,
    LAW_LIMITS,
    ClockKind,
    DayCount,
    DeadlinePolicy,
    Limit,
    due_at,
)

DEFAULT_EVALUATION_DAYS = 30


@dataclass(frozen=True)
class IntakeRules:
    """One district's calendar and limits, passed to ``decide``."""

    calendar: WorkingDayCalendar
    deadlines: DeadlinePolicy | None = None  # None: the law's limits
    tz: tzinfo = CHINA_TZ
    evaluation_days: int = DEFAULT_EVALUATION_DAYS

    def __post_init__(self) -> None:
        if self.evaluation_days < 1:
            raise ValueError("the evaluation window is at least 1 day")

    @classmethod
    def law_defaults(cls, district: str) -> IntakeRules:
        """Weekends only, no holidays: for a district whose calendar was not given."""
        return cls(calendar=WorkingDayCalendar(district=district))

    def limit(self, kind: ClockKind, category: str | None) -> Limit:
        if self.deadlines is None:
            return LAW_LIMITS[kind]
        return self.deadlines.limit_for(kind, category)

    @property
    def evaluation_limit(self) -> Limit:
        return Limit(self.evaluation_days, DayCount.CALENDAR)

    def closes_at(self, start: datetime, limit: Limit) -> datetime:
        return due_at(start, limit, self.calendar, self.tz)

    def last_day(self, start: datetime, limit: Limit) -> date:
        return (self.closes_at(start, limit) - timedelta(days=1)).astimezone(self.tz).date()

    def within(self, start: datetime, limit: Limit, at: datetime) -> bool:
        return at < self.closes_at(start, limit)
