"""The decider of one deadline clock: which commands a clock accepts, and the facts they make.

It is configured with the district's calendar and warning lead because starting, resuming and
extending a clock fix a new due instant and the instant it warns, which the events record.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    current_due,
    evolve,
    initial_state,
    pauses_until,
)
from casebus.domain.deadlines import (
    CHINA_TZ,
    DEFAULT_WARN_WORKING_DAYS,
    EXTENDABLE_KINDS,
    check_limit_within_law,
    days_not_counted,
    due_at,
    warning_starts,
)
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.extension_rules import check_extension, extended_due


@dataclass(frozen=True)
class ClockDecider:
    calendar: WorkingDayCalendar
    tz: tzinfo = CHINA_TZ
    warn_working_days: int = DEFAULT_WARN_WORKING_DAYS  # the district's DeadlinePolicy

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
        due = c.due_at if c.due_at is not None else due_at(c.at, c.limit, self.calendar, self.tz)
        return ClockStarted(
            clock_id=c.clock_id, case_id=c.case_id, district=c.district, occurred_at=c.at,
            kind=c.kind, unit_id=c.unit_id, category=c.category, limit=c.limit,
            started_at=c.at, due_at=due, warn_at=self._warn_at(due),
        )

    def _warn_at(self, due: datetime) -> datetime:
        return warning_starts(due, self.warn_working_days, self.calendar, self.tz)

    def _act(self, clock: Clock, c: ClockCommand) -> ClockEvent:
        ids = {"clock_id": clock.clock_id, "case_id": clock.case_id,
               "district": clock.district, "occurred_at": c.at}
        due = current_due(clock, c.at, self.calendar, self.tz)
        if isinstance(c, StopClock):
            done_at = c.done_at if c.done_at is not None else c.at
            return ClockStopped(**ids, outcome=c.outcome, due_at=due, on_time=done_at < due)
        if isinstance(c, ResumeClock):
            if clock.phase is not ClockPhase.PAUSED:
                raise DomainRuleViolation("clock-not-paused", "only a paused clock resumes")
            return ClockResumed(**ids, due_at=due, warn_at=self._warn_at(due))
        if clock.phase is not ClockPhase.RUNNING:
            raise DomainRuleViolation("clock-not-running", f"a paused clock cannot {_verb(c)}")
        if isinstance(c, PauseClock):
            _require(c.at < due, "pause-before-due", "an expired period cannot be paused")
            return ClockPaused(**ids, reason=c.reason)
        if isinstance(c, ExtendClock):
            extended = self._extended_due(clock, c, due)
            return ClockExtended(**ids, days=c.days, approved_by=c.approved_by,
                                 reason=c.reason, due_at=extended,
                                 warn_at=self._warn_at(extended))
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
        """Art. 34 by the one rule routing also approves with (``extension_rules``)."""
        _require(clock.kind in EXTENDABLE_KINDS, "extension-only-for-handle-and-answer",
                 f"the law allows no extension of {clock.kind}")
        check_extension(days=c.days, approved_by=c.approved_by, reason=c.reason,
                        at=c.approved_at if c.approved_at is not None else c.at, due=due,
                        already_extended=clock.extension_days > 0)
        return extended_due(clock.started_at, clock.limit, c.days, self.calendar, self.tz,
                            not_counted=days_not_counted(pauses_until(clock, c.at), self.tz))


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
