"""The extension of the time to answer (Art. 34), one rule in one place.

Routing decides the approval and the clock records it; both check with ``check_extension`` and
compute the new deadline with ``extended_due``, so they can never disagree (they once did:
routing counted 60 + 30 days from acceptance, the clock 30 days from the end of the original
period; the two differ when day 60 is a rest day).

The extension is a further period of ``days`` calendar days counted from the end of the
original period (the original last day is not counted again), rolled to a working day like any
calendar-day period. Approval is possible only before the answer is due, once, for 1-30 days,
naming the approver, with a reason that is told to the petitioner.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import CHINA_TZ, MAX_EXTENSION_DAYS, Limit, due_at
from casebus.domain.errors import DomainRuleViolation


def check_extension(*, days: int, approved_by: str, reason: str, at: datetime,
                    due: datetime, already_extended: bool) -> None:
    if already_extended:
        raise DomainRuleViolation("one-extension-only",
                                  "the time to answer was already extended once (Art. 34)")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise DomainRuleViolation("extension-at-most-30-days",
                                  f"an extension is 1 to {MAX_EXTENSION_DAYS} days, not {days}")
    if not approved_by.strip():
        raise DomainRuleViolation("extension-approved-by-unit-head",
                                  "name who approved the extension")
    if not reason.strip():
        raise DomainRuleViolation("extension-reason-told-to-petitioner",
                                  "an extension needs a reason, which the petitioner is told")
    if at >= due:
        raise DomainRuleViolation(
            "extend-before-due",
            f"the answer was due {due.isoformat()}; an expired period cannot be extended")


def extended_due(started_at: datetime, limit: Limit, extension_days: int,
                 calendar: WorkingDayCalendar, tz: tzinfo = CHINA_TZ,
                 not_counted: frozenset[date] = frozenset()) -> datetime:
    """The deadline after an extension of ``extension_days`` of a period of ``limit`` from
    ``started_at`` (``not_counted``: paused days, as ``deadlines.days_not_counted`` gives)."""
    return due_at(started_at, limit, calendar, tz, not_counted=not_counted,
                  extension_days=extension_days)
