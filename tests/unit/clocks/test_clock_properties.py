"""Properties of clocks over random calendars and random orders of commands."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.clock_decider import ClockDecider
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
from casebus.domain.clock_status import clock_status, next_transition_at, pending_transitions
from casebus.domain.clocks import ClockPhase, computed_due
from casebus.domain.deadlines import CHINA_TZ, LAW_LIMITS, ClockKind, DayCount, Limit, due_at
from casebus.domain.errors import DomainRuleViolation

from .calendars import calendars, starts
from .playback import state_of

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
limits = st.builds(Limit, st.integers(1, 70), st.sampled_from(DayCount))


@st.composite
def command_orders(draw: st.DrawFn) -> list[ClockCommand]:
    """A start followed by any commands in any order, at moments that mostly move forward."""
    at: datetime = draw(starts)
    kind = draw(st.sampled_from(ClockKind))
    commands: list[ClockCommand] = [StartClock(
        clock_id="c", case_id="k", district="d", kind=kind, at=at,
        limit=draw(limits) if kind not in LAW_LIMITS or draw(st.booleans()) else LAW_LIMITS[kind])]
    for _ in range(draw(st.integers(0, 12))):
        at += timedelta(minutes=draw(st.integers(-600, 40 * 24 * 60)))
        commands.append(draw(st.sampled_from([
            PauseClock(clock_id="c", at=at, reason="hearing"),
            ResumeClock(clock_id="c", at=at),
            ExtendClock(clock_id="c", at=at, days=draw(st.integers(-1, 35)),
                        approved_by=draw(st.sampled_from(["head", ""])), reason="survey"),
            WarnClock(clock_id="c", at=at, lead=timedelta(days=draw(st.integers(0, 10)))),
            BreachClock(clock_id="c", at=at),
            StopClock(clock_id="c", at=at, outcome="done"),
            commands[0],
        ])))
    return commands


def run(decider: ClockDecider, commands: list[ClockCommand]) -> list[ClockEvent]:
    """Apply each command; a refused one must name a rule and leave the state as it was."""
    events: list[ClockEvent] = []
    for command in commands:
        before = state_of(events)
        try:
            events += decider.decide(before, command)
        except DomainRuleViolation as refused:
            assert KEBAB.match(refused.rule), refused.rule
            assert state_of(events) == before
    return events


def assert_legal_order(events: list[ClockEvent]) -> None:
    """An independent statement of the clock's life cycle, checked against what was accepted."""
    phase, extended, breached = "none", False, False
    for previous, event in zip([None, *events], events, strict=False):
        assert previous is None or previous.occurred_at <= event.occurred_at
        assert isinstance(event, ClockStarted) == (phase == "none")
        assert phase != "stopped"
        if isinstance(event, ClockPaused | ClockExtended | ClockWarned | ClockBreached):
            assert phase == "running"
        if isinstance(event, ClockResumed):
            assert phase == "paused"
        if isinstance(event, ClockExtended):
            assert not extended and 1 <= event.days <= 30 and event.approved_by
            extended = True
        if isinstance(event, ClockBreached):
            assert not breached and event.occurred_at >= event.due_at
            breached = True
        phase = {ClockStarted: "running", ClockPaused: "paused", ClockResumed: "running",
                 ClockStopped: "stopped"}.get(type(event), phase)


@settings(max_examples=300)
@given(calendars(), command_orders())
def test_illegal_orders_are_refused_and_what_is_accepted_is_a_legal_life(
        cal: WorkingDayCalendar, commands: list[ClockCommand]) -> None:
    assert_legal_order(run(ClockDecider(cal), commands))


@settings(max_examples=300)
@given(calendars(), command_orders())
def test_due_date_only_ever_moves_later_and_matches_the_facts(
        cal: WorkingDayCalendar, commands: list[ClockCommand]) -> None:
    events = run(ClockDecider(cal), commands)
    dues = [e.due_at for e in events if isinstance(e, ClockStarted | ClockResumed | ClockExtended
                                                   | ClockStopped)]
    assert dues == sorted(dues)
    clock = state_of(events)
    if clock is None:  # the start itself was refused (a limit beyond the law)
        return
    assert clock.due_at == computed_due(clock, cal)
    unpaused = replace(clock, pauses=(), paused_since=None)
    assert clock.due_at >= computed_due(unpaused, cal)  # pausing never makes it due earlier


@settings(max_examples=200)
@given(calendars(), command_orders(), st.integers(0, 120 * 24), st.integers(0, 10))
def test_status_is_a_pure_function_and_paused_is_never_overdue(
        cal: WorkingDayCalendar, commands: list[ClockCommand], hours: int, lead: int) -> None:
    events = run(ClockDecider(cal, warn_working_days=lead), commands)
    at = commands[-1].at + timedelta(hours=hours)
    status = clock_status(events, at, cal)
    assert status == clock_status(list(events), at, cal)
    if status.warn_at is not None:
        assert status.due_at is not None and status.warn_at <= status.due_at
    if status.phase is ClockPhase.PAUSED:
        assert not status.overdue and status.due_at is not None and status.due_at > at
    if status.overdue:
        assert status.remaining is not None and status.remaining <= timedelta(0)


@settings(max_examples=200)
@given(calendars(), command_orders(), st.integers(0, 120 * 24), st.integers(0, 10))
def test_pending_transitions_are_accepted_and_then_done(
        cal: WorkingDayCalendar, commands: list[ClockCommand], hours: int, lead: int) -> None:
    decider = ClockDecider(cal, warn_working_days=lead)
    events = run(decider, commands)
    at = max([commands[-1].at, *(e.occurred_at for e in events)]) + timedelta(hours=hours)
    wake_up = next_transition_at(events)
    pending = pending_transitions(events, at)
    assert bool(pending) == (wake_up is not None and wake_up <= at)
    recorded: list[ClockEvent] = []
    for command in pending:
        recorded += decider.decide(state_of(events + recorded), command)  # never refused
    events += recorded
    assert pending_transitions(events, at) == []
    status = clock_status(events, at, cal)
    assert not status.overdue or status.breached
    if any(isinstance(e, ClockWarned) for e in recorded):
        assert status.condition == "due-soon"  # a warning is about a clock shown as due soon


@given(calendars(), starts, st.integers(0, 30 * 24), st.integers(0, 30 * 24))
def test_pause_within_the_period_pushes_due_by_its_days(
        cal: WorkingDayCalendar, start: datetime, pause_after: int, pause_hours: int) -> None:
    limit = LAW_LIMITS[ClockKind.REEXAMINATION_DECISION]
    decider = ClockDecider(cal)
    paused_at = start + timedelta(hours=pause_after)
    resumed_at = paused_at + timedelta(hours=pause_hours)
    first = decider.decide(None, StartClock(clock_id="c", case_id="k", district="d",
                                            kind=ClockKind.REEXAMINATION_DECISION, limit=limit,
                                            at=start))
    try:
        events = first + decider.decide(state_of(first), PauseClock(
            clock_id="c", at=paused_at, reason="hearing"))
    except DomainRuleViolation as refused:  # the hour fell after the period expired
        assert refused.rule == "pause-before-due" and paused_at >= due_at(start, limit, cal)
        return
    [resumed] = decider.decide(state_of(events), ResumeClock(clock_id="c", at=resumed_at))
    assert isinstance(resumed, ClockResumed)
    started = first[0]
    assert isinstance(started, ClockStarted)
    assert resumed.due_at >= started.due_at
    if paused_at.astimezone(CHINA_TZ).date() == resumed_at.astimezone(CHINA_TZ).date():
        assert resumed.due_at == started.due_at  # a pause within one day removes no day

