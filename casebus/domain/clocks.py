"""The deadline clock aggregate: its state, ``evolve`` and the decider that guards its rules.

A clock runs from its start to its due instant. It may pause (hearing time is not counted,
Art. 36), be extended once (Art. 34), warn before it is due, breach once it is due, and stop
when the thing was done. Satisfaction at a moment lives in ``clock_status``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from enum import StrEnum

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.clock_events import (
    ClockBreached,
    ClockEvent,
    ClockExtended,
    ClockPaused,
    ClockResumed,
    ClockStarted,
    ClockStopped,
    ClockWarned,
)
from casebus.domain.deadlines import (
    CHINA_TZ,
    DEFAULT_WARN_LEAD,
    ClockKind,
    Limit,
    days_not_counted,
    due_at,
)


class ClockPhase(StrEnum):
    NOT_STARTED = "not-started"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Clock:
    clock_id: str
    case_id: str
    district: str
    kind: ClockKind
    unit_id: str | None
    category: str | None
    limit: Limit
    started_at: datetime
    due_at: datetime  # as last recorded by an event; while paused, see ``current_due``
    last_at: datetime  # time of the latest event: commands may not go back before it
    warn_at: datetime | None = None  # as recorded with ``due_at`` (see ``warning_instant``)
    phase: ClockPhase = ClockPhase.RUNNING
    extension_days: int = 0
    pauses: tuple[tuple[datetime, datetime], ...] = ()  # closed pauses: (paused, resumed)
    paused_since: datetime | None = None
    warned_due: datetime | None = None  # the due instant last warned about
    breached: bool = False
    stopped_at: datetime | None = None
    stopped_on_time: bool | None = None
    outcome: str | None = None  # what stopped it: "accepted", "answered", "case concluded"...


ClockState = Clock | None  # None: no ClockStarted yet


def initial_state() -> ClockState:
    return None


def evolve(state: ClockState, event: ClockEvent) -> ClockState:
    if isinstance(event, ClockStarted):
        return Clock(
            clock_id=event.clock_id, case_id=event.case_id, district=event.district,
            kind=event.kind, unit_id=event.unit_id, category=event.category, limit=event.limit,
            started_at=event.started_at, due_at=event.due_at, last_at=event.occurred_at,
            warn_at=_warn_at(event.due_at, event.warn_at),
        )
    if state is None:
        raise ValueError(f"{type(event).__name__} before ClockStarted on {event.clock_id}")
    state = replace(state, last_at=event.occurred_at)
    if isinstance(event, ClockPaused):
        return replace(state, phase=ClockPhase.PAUSED, paused_since=event.occurred_at)
    if isinstance(event, ClockResumed):
        return replace(_pause_closed(state, event.occurred_at), phase=ClockPhase.RUNNING,
                       due_at=event.due_at, warn_at=_warn_at(event.due_at, event.warn_at))
    if isinstance(event, ClockExtended):
        return replace(state, extension_days=state.extension_days + event.days,
                       due_at=event.due_at, warn_at=_warn_at(event.due_at, event.warn_at))
    if isinstance(event, ClockWarned):
        return replace(state, warned_due=event.due_at)
    if isinstance(event, ClockBreached):
        return replace(state, breached=True)
    if isinstance(event, ClockStopped):
        return replace(_pause_closed(state, event.occurred_at), phase=ClockPhase.STOPPED,
                       stopped_at=event.occurred_at, due_at=event.due_at,
                       stopped_on_time=event.on_time, outcome=event.outcome)
    raise TypeError(f"not a clock event: {type(event).__name__}")


def _warn_at(due: datetime, recorded: datetime | None) -> datetime:
    # Events from before ``warn_at`` was recorded warn a fixed lead before due.
    return recorded if recorded is not None else due - DEFAULT_WARN_LEAD


def warning_instant(clock: Clock) -> datetime:
    """When the clock warns about its recorded due instant."""
    return _warn_at(clock.due_at, clock.warn_at)


def _pause_closed(clock: Clock, at: datetime) -> Clock:
    return replace(clock, pauses=pauses_until(clock, at), paused_since=None)


def pauses_until(clock: Clock, at: datetime) -> tuple[tuple[datetime, datetime], ...]:
    """The clock's pauses, an open one taken as ending at ``at``."""
    if clock.paused_since is None:
        return clock.pauses
    return (*clock.pauses, (clock.paused_since, max(at, clock.paused_since)))


def computed_due(clock: Clock, calendar: WorkingDayCalendar, tz: tzinfo = CHINA_TZ,
                 resumed_at: datetime | None = None) -> datetime:
    """The due instant from the clock's facts, an open pause taken as ending at ``resumed_at``.
    The one place where a clock's pauses and extension meet day counting."""
    pauses = pauses_until(clock, resumed_at or clock.last_at)
    return due_at(clock.started_at, clock.limit, calendar, tz,
                  not_counted=days_not_counted(pauses, tz), extension_days=clock.extension_days)


def current_due(clock: Clock, at: datetime, calendar: WorkingDayCalendar,
                tz: tzinfo = CHINA_TZ) -> datetime:
    """The due instant as it stands at ``at``: the recorded one, or, while paused, the one a
    resumption at ``at`` would record (a paused clock is never overdue)."""
    if clock.phase is ClockPhase.PAUSED:
        return computed_due(clock, calendar, tz, resumed_at=at)
    return clock.due_at
