"""How a clock stands at a moment, and what the scheduler must record, on the 2026 calendar.

The handle-and-answer clock below is due at midnight after Thursday 8 October 2026; it warns
three working days before, counted back over the National Day holidays: from Tuesday 29
September (``WARN``), ten calendar days before it is due.
"""

from __future__ import annotations

from datetime import timedelta

from casebus.domain.clock_decider import ClockDecider
from casebus.domain.clock_events import (
    BreachClock,
    ClockCommand,
    PauseClock,
    StartClock,
    StopClock,
    WarnClock,
)
from casebus.domain.clock_status import clock_status, next_transition_at, pending_transitions
from casebus.domain.clocks import ClockPhase
from casebus.domain.deadlines import LAW_LIMITS, ClockKind

from .calendars import CAL_2026, local
from .playback import play

DECIDER = ClockDecider(CAL_2026)
START = StartClock(clock_id="c1", case_id="case-7", district="beiyuan",
                   kind=ClockKind.HANDLE_AND_ANSWER,
                   limit=LAW_LIMITS[ClockKind.HANDLE_AND_ANSWER], at=local(2026, 8, 4, 11))
DUE = local(2026, 10, 9)
WARN = local(2026, 9, 29)
LEAD = DUE - WARN


def history(*commands: ClockCommand) -> list:  # type: ignore[type-arg]
    return play(DECIDER, [START, *commands])


def test_no_events_is_not_started() -> None:
    assert clock_status([], DUE, CAL_2026).phase is ClockPhase.NOT_STARTED


def test_running_clock_before_during_and_after_the_warning_lead() -> None:
    events = history()
    early = clock_status(events, WARN - timedelta(minutes=1), CAL_2026)
    soon = clock_status(events, local(2026, 10, 6, 12), CAL_2026)
    late = clock_status(events, DUE, CAL_2026)
    assert (early.due_soon, early.overdue, early.condition) == (False, False, "running")
    assert (soon.due_soon, soon.overdue, soon.remaining) == (True, False, timedelta(days=2.5))
    assert soon.condition == "due-soon"
    assert (late.due_soon, late.overdue, late.remaining) == (False, True, timedelta(0))
    assert late.condition == "overdue"
    assert early.due_at == soon.due_at == late.due_at == DUE
    assert early.warn_at == soon.warn_at == WARN


def test_paused_clock_is_never_overdue_and_its_due_date_moves() -> None:
    events = history(PauseClock(clock_id="c1", at=local(2026, 9, 30, 10), reason="hearing"))
    status = clock_status(events, local(2026, 10, 20, 9), CAL_2026)
    assert status.phase is ClockPhase.PAUSED and not status.overdue and not status.due_soon
    assert status.condition == "paused" and status.warn_at is None
    # Paused 30 Sep .. 19 Oct: 20 days not counted. Last day was 3 Oct (a holiday, rolled to 8 Oct);
    # now it is 23 Oct, a Friday.
    assert status.days_not_counted == 20
    assert status.due_at == local(2026, 10, 24)


def test_stopped_clock_reports_on_time_and_no_remaining() -> None:
    events = history(StopClock(clock_id="c1", at=local(2026, 9, 1), outcome="answered"))
    status = clock_status(events, local(2026, 12, 1), CAL_2026)
    assert (status.phase, status.on_time, status.remaining, status.overdue) == (
        ClockPhase.STOPPED, True, None, False)
    assert status.condition == "stopped"


def test_scheduler_warns_once_then_breaches_once() -> None:
    assert pending_transitions(history(), WARN - timedelta(seconds=1)) == []
    [warn] = pending_transitions(history(), WARN)
    assert warn == WarnClock(clock_id="c1", at=WARN, lead=LEAD)
    warned = history(warn)
    assert pending_transitions(warned, local(2026, 10, 8, 23, 59)) == []
    [breach] = pending_transitions(warned, DUE)
    assert breach == BreachClock(clock_id="c1", at=DUE)
    assert pending_transitions(history(warn, breach), local(2026, 11, 1)) == []


def test_overdue_clock_never_warned_gets_only_the_breach() -> None:
    at = local(2026, 10, 12)
    assert pending_transitions(history(), at) == [BreachClock(clock_id="c1", at=at)]


def test_paused_or_stopped_clock_needs_nothing() -> None:
    paused = history(PauseClock(clock_id="c1", at=local(2026, 9, 30), reason="hearing"))
    stopped = history(StopClock(clock_id="c1", at=local(2026, 9, 30), outcome="answered"))
    assert pending_transitions(paused, local(2026, 12, 1)) == []
    assert pending_transitions(stopped, local(2026, 12, 1)) == []
    assert next_transition_at(paused) is None
    assert next_transition_at(stopped) is None


def test_next_wake_up_is_the_warning_then_the_due_instant() -> None:
    assert next_transition_at(history()) == WARN
    warned = history(WarnClock(clock_id="c1", at=local(2026, 10, 7), lead=LEAD))
    assert next_transition_at(warned) == DUE
    assert next_transition_at(history(BreachClock(clock_id="c1", at=DUE))) is None
