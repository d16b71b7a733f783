"""The decider of one deadline clock: which commands a clock accepts, and the facts they make.

It is configured with the district's calendar because starting, resuming and extending a
clock fix a new due instant, which the events record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.clock_events import (
    BreachClock,
    ClockBreached,
    ClockCommand,
    ClockEvent,
    ClockExtended,
    ClockPaused,
    ClockResumed,
    ClockStarted,
    ClockStopped,
    ClockWarned,
    ExtendClock,
    PauseClock,
    ResumeClock,
    StartClock,
    StopClock,
    WarnClock,
)
from casebus.domain.clocks import (
    Clock,
    ClockPhase,
    ClockState,
    computed_due,
    current_due,
    evolve,
    initial_state,
)
from casebus.domain.deadlines import (
    CHINA_TZ,
    EXTENDABLE_KINDS,
    MAX_EXTENSION_DAYS,
    check_limit_within_law,
    due_at,
)
from casebus.domain.errors import DomainRuleViolation


@dataclass(frozen=True)
class ClockDecider:
    calendar: WorkingDayCalendar
    tz: tzinfo = CHINA_TZ

    initial_state = staticmethod(initial_state)
    evolve = staticmethod(evolve)

    def decide(self, state: ClockState, command: ClockCommand) -> list[ClockEvent]:
        if isinstance(command, StartClock):
            return [self._start(state, command)]
        clock = _running_or_paused(state, command)
        return [self._act(clock, command)]

    def _start(self, state: ClockState, c: StartClock) -> ClockStarted:
        if state is not None:
            raise DomainRuleViolation("clock-already-started", f"clock {c.clock_id} has started")
        check_limit_within_law(c.kind, c.limit)
        return ClockStarted(
            clock_id=c.clock_id, case_id=c.case_id, district=c.district, occurred_at=c.at,
            kind=c.kind, unit_id=c.unit_id, category=c.category, limit=c.limit,
            started_at=c.at, due_at=due_at(c.at, c.limit, self.calendar, self.tz),
        )

    def _act(self, clock: Clock, c: ClockCommand) -> ClockEvent:
        ids = {"clock_id": clock.clock_id, "case_id": clock.case_id,
               "district": clock.district, "occurred_at": c.at}
        due = current_due(clock, c.at, self.calendar, self.tz)
        if isinstance(c, StopClock):
            return ClockStopped(**ids, outcome=c.outcome, due_at=due, on_time=c.at < due)
        if isinstance(c, ResumeClock):
            if clock.phase is not ClockPhase.PAUSED:
                raise DomainRuleViolation("clock-not-paused", "only a paused clock resumes")
            return ClockResumed(**ids, due_at=due)
        if clock.phase is not ClockPhase.RUNNING:
            raise DomainRuleViolation("clock-not-running", f"a paused clock cannot {_verb(c)}")
        if isinstance(c, PauseClock):
            _require(c.at < due, "pause-before-due", "an expired period cannot be paused")
            return ClockPaused(**ids, reason=c.reason)
        if isinstance(c, ExtendClock):
            return ClockExtended(**ids, days=c.days, approved_by=c.approved_by,
                                 reason=c.reason, due_at=self._extended_due(clock, c, due))
        if isinstance(c, WarnClock):
            _require(c.at < due, "warning-before-due", "the period has already expired")
            _require(c.at >= due - c.lead, "warning-within-lead", "too early to warn")
            _require(clock.warned_due != due, "one-warning-per-due-date", "already warned")
            return ClockWarned(**ids, due_at=due, lead=c.lead)
        if isinstance(c, BreachClock):
            _require(not clock.breached, "one-breach-per-clock", "already breached")
            _require(c.at >= due, "breach-only-when-due", f"the clock is due at {due}")
            return ClockBreached(**ids, due_at=due)
        raise TypeError(f"not a clock command: {type(c).__name__}")

    def _extended_due(self, clock: Clock, c: ExtendClock, due: datetime) -> datetime:
        _require(clock.kind in EXTENDABLE_KINDS, "extension-only-for-handle-and-answer",
                 f"the law allows no extension of {clock.kind}")
        _require(clock.extension_days == 0, "one-extension-only", "the clock was extended once")
        _require(1 <= c.days <= MAX_EXTENSION_DAYS, "extension-at-most-30-days",
                 f"an extension is 1 to {MAX_EXTENSION_DAYS} days, not {c.days}")
        _require(bool(c.approved_by.strip()), "extension-approved-by-unit-head",
                 "name the unit head who approved the extension")
        _require(bool(c.reason.strip()), "extension-reason-told-to-petitioner",
                 "an extension needs a reason, which the petitioner is told")
        _require(c.at < due, "extend-before-due", "an expired period cannot be extended")
        return computed_due(replace(clock, extension_days=c.days), self.calendar, self.tz)


def _running_or_paused(state: ClockState, c: ClockCommand) -> Clock:
    if state is None:
        raise DomainRuleViolation("clock-not-started", f"clock {c.clock_id} has not started")
    _require(c.clock_id == state.clock_id, "clock-id-mismatch",
             f"command for {c.clock_id} sent to clock {state.clock_id}")
    _require(c.at >= state.last_at, "clock-time-goes-forward",
             f"{c.at} is before the clock's last event at {state.last_at}")
    _require(state.phase is not ClockPhase.STOPPED, "clock-already-stopped",
             f"clock {state.clock_id} stopped at {state.stopped_at}")
    return state


def _require(holds: bool, rule: str, message: str) -> None:
    if not holds:
        raise DomainRuleViolation(rule, message)


def _verb(c: ClockCommand) -> str:
    return type(c).__name__.removesuffix("Clock").lower()
