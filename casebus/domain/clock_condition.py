"""The one definition of how a clock stands for people: running, due soon, overdue, paused or
stopped. Accountability's clocks endpoint and reporting's lists and case view all use it.

Due soon: running, the warning instant reached (``warn_at``, recorded by the clock's events;
``DEFAULT_WARN_LEAD`` before due for older events without it), not yet due. Overdue: running
and at or past the due instant (acting at the instant is already late). A paused clock is
never due soon or overdue (hearing time is not counted, Art. 36).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from enum import StrEnum

from casebus.domain.clocks import ClockPhase
from casebus.domain.deadlines import CHINA_TZ, DEFAULT_WARN_LEAD


class ClockCondition(StrEnum):
    RUNNING = "running"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    STOPPED = "stopped"


def clock_condition(phase: ClockPhase | str, due_at: datetime | None, warn_at: datetime | None,
                    at: datetime) -> ClockCondition:
    phase = ClockPhase(phase)
    if phase is ClockPhase.STOPPED:
        return ClockCondition.STOPPED
    if phase is ClockPhase.PAUSED:
        return ClockCondition.PAUSED
    if phase is not ClockPhase.RUNNING or due_at is None:
        raise ValueError(f"a clock that has not started has no condition ({phase})")
    if at >= due_at:
        return ClockCondition.OVERDUE
    if at >= (warn_at if warn_at is not None else due_at - DEFAULT_WARN_LEAD):
        return ClockCondition.DUE_SOON
    return ClockCondition.RUNNING


def local_iso(moment: datetime | None, tz: tzinfo = CHINA_TZ) -> str | None:
    """An instant as every service shows it: ISO 8601 in the district's local time, so a due
    instant reads ``2026-10-16T00:00:00+08:00`` everywhere (events, clocks, reporting)."""
    return None if moment is None else moment.astimezone(tz).isoformat()
