"""How a clock stands at a given moment, and what a scheduler should record about it now.

Both are pure functions of (events, moment): the service passes the moment in, so a simulated
clock replays a year in minutes on the same code path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.clock_events import BreachClock, ClockCommand, ClockEvent, WarnClock
from casebus.domain.clocks import (
    ClockPhase,
    ClockState,
    current_due,
    evolve,
    initial_state,
    pauses_until,
)
from casebus.domain.deadlines import CHINA_TZ, DEFAULT_WARN_LEAD, ClockKind, days_not_counted
from casebus.domain.decider import fold


@dataclass(frozen=True)
class ClockStatus:
    phase: ClockPhase
    kind: ClockKind | None = None
    due_at: datetime | None = None  # paused: the due instant if resumed at the moment asked
    remaining: timedelta | None = None  # due_at - moment; negative once overdue; None if stopped
    due_soon: bool = False  # running, within the warning lead, not yet due
    overdue: bool = False  # running and due (a paused clock never is)
    breached: bool = False  # a ClockBreached was recorded
    on_time: bool | None = None  # stopped clocks: stopped before due
    days_not_counted: int = 0  # paused days pushed the due date by these (Art. 36)
    extension_days: int = 0


def clock_of(events: Iterable[ClockEvent]) -> ClockState:
    return fold(evolve, initial_state(), events)


def clock_status(events: Iterable[ClockEvent], at: datetime, calendar: WorkingDayCalendar,
                 tz: tzinfo = CHINA_TZ, warn_lead: timedelta = DEFAULT_WARN_LEAD) -> ClockStatus:
    clock = clock_of(events)
    if clock is None:
        return ClockStatus(phase=ClockPhase.NOT_STARTED)
    due = current_due(clock, at, calendar, tz)
    status = ClockStatus(
        phase=clock.phase, kind=clock.kind, due_at=due, breached=clock.breached,
        days_not_counted=len(days_not_counted(pauses_until(clock, at), tz)),
        extension_days=clock.extension_days,
    )
    if clock.phase is ClockPhase.STOPPED:
        return replace(status, on_time=clock.stopped_on_time)
    running = clock.phase is ClockPhase.RUNNING
    return replace(status, remaining=due - at, due_soon=running and due - warn_lead <= at < due,
                   overdue=running and at >= due)


def pending_transitions(events: Iterable[ClockEvent], at: datetime,
                        warn_lead: timedelta = DEFAULT_WARN_LEAD) -> list[ClockCommand]:
    """The ClockWarned / ClockBreached now due, as commands the decider accepts at ``at``.

    Idempotent: once their events are stored, the same call returns nothing more. An overdue
    clock that was never warned gets only the breach: a warning after the fact helps nobody.
    """
    clock = clock_of(events)
    if clock is None or clock.phase is not ClockPhase.RUNNING:
        return []
    if at >= clock.due_at:
        return [] if clock.breached else [BreachClock(clock_id=clock.clock_id, at=at)]
    if at >= clock.due_at - warn_lead and clock.warned_due != clock.due_at:
        return [WarnClock(clock_id=clock.clock_id, at=at, lead=warn_lead)]
    return []


def next_transition_at(events: Iterable[ClockEvent],
                       warn_lead: timedelta = DEFAULT_WARN_LEAD) -> datetime | None:
    """When ``pending_transitions`` will next have something: the scheduler's wake-up time.
    None while paused or stopped (a resumption or a stop is an event the service sees)."""
    clock = clock_of(events)
    if clock is None or clock.phase is not ClockPhase.RUNNING or clock.breached:
        return None
    if clock.warned_due != clock.due_at:
        return clock.due_at - warn_lead
    return clock.due_at

