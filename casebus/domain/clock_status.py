"""How a clock stands at a given moment, and what a scheduler should record about it now.

Both are pure functions of (events, moment): the service passes the moment in, so a simulated
clock replays a year in minutes on the same code path. The warning instant is the one the
clock's events recorded (``warn_at``), so the scheduler needs no calendar and no policy to
know when to warn, and shows the same instant as the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.clock_condition import ClockCondition, clock_condition
from casebus.domain.clock_events import BreachClock, ClockCommand, ClockEvent, WarnClock
from casebus.domain.clocks import (
    ClockPhase,
    ClockState,
    current_due,
    evolve,
    initial_state,
    pauses_until,
    warning_instant,
)
from casebus.domain.deadlines import CHINA_TZ, ClockKind, days_not_counted
from casebus.domain.decider import fold


@dataclass(frozen=True)
class ClockStatus:
    phase: ClockPhase
    kind: ClockKind | None = None
    condition: ClockCondition | None = None  # None: not started
    due_at: datetime | None = None  # paused: the due instant if resumed at the moment asked
    warn_at: datetime | None = None  # as recorded; None while paused (set again on resuming)
    remaining: timedelta | None = None  # due_at - moment; negative once overdue; None if stopped
    due_soon: bool = False  # condition due-soon: running, warning instant reached, not yet due
    overdue: bool = False  # condition overdue: running and due (a paused clock never is)
    breached: bool = False  # a ClockBreached was recorded
    on_time: bool | None = None  # stopped clocks: stopped before due
    days_not_counted: int = 0  # paused days pushed the due date by these (Art. 36)
    extension_days: int = 0


def clock_of(events: Iterable[ClockEvent]) -> ClockState:
    return fold(evolve, initial_state(), events)


def clock_status(events: Iterable[ClockEvent], at: datetime, calendar: WorkingDayCalendar,
                 tz: tzinfo = CHINA_TZ) -> ClockStatus:
    clock = clock_of(events)
    if clock is None:
        return ClockStatus(phase=ClockPhase.NOT_STARTED)
    due = current_due(clock, at, calendar, tz)
    warn_at = None if clock.phase is ClockPhase.PAUSED else warning_instant(clock)
    condition = clock_condition(clock.phase, due, warn_at, at)
    status = ClockStatus(
        phase=clock.phase, kind=clock.kind, condition=condition, due_at=due, warn_at=warn_at,
        breached=clock.breached, extension_days=clock.extension_days,
        days_not_counted=len(days_not_counted(pauses_until(clock, at), tz)),
    )
    if clock.phase is ClockPhase.STOPPED:
        return replace(status, on_time=clock.stopped_on_time)
    return replace(status, remaining=due - at, due_soon=condition is ClockCondition.DUE_SOON,
                   overdue=condition is ClockCondition.OVERDUE)


def pending_transitions(events: Iterable[ClockEvent], at: datetime) -> list[ClockCommand]:
    """The ClockWarned / ClockBreached now due, as commands the decider accepts at ``at``.

    Idempotent: once their events are stored, the same call returns nothing more. An overdue
    clock that was never warned gets only the breach: a warning after the fact helps nobody.
    """
    return transitions_due(clock_of(events), at)


def transitions_due(clock: ClockState, at: datetime) -> list[ClockCommand]:
    """``pending_transitions`` of a clock already folded."""
    if clock is None or clock.phase is not ClockPhase.RUNNING:
        return []
    if at >= clock.due_at:
        return [] if clock.breached else [BreachClock(clock_id=clock.clock_id, at=at)]
    warn_at = warning_instant(clock)
    if at >= warn_at and clock.warned_due != clock.due_at:
        return [WarnClock(clock_id=clock.clock_id, at=at, lead=clock.due_at - warn_at)]
    return []


def next_transition_at(events: Iterable[ClockEvent]) -> datetime | None:
    """When ``pending_transitions`` will next have something: the scheduler's wake-up time.
    None while paused or stopped (a resumption or a stop is an event the service sees)."""
    return next_check(clock_of(events))


def next_check(clock: ClockState) -> datetime | None:
    """``next_transition_at`` of a clock already folded (the scheduler keeps it per clock)."""
    if clock is None or clock.phase is not ClockPhase.RUNNING or clock.breached:
        return None
    if clock.warned_due != clock.due_at:
        return min(warning_instant(clock), clock.due_at)
    return clock.due_at
