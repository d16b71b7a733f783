"""The clock decider on the 2026 calendar: legal lives of a clock, and every refusal by rule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casebus.domain.clock_decider import ClockDecider
from casebus.domain.clock_events import (
    BreachClock,
    ClockCommand,
    ClockExtended,
    ClockResumed,
    ClockStarted,
    ClockStopped,
    ExtendClock,
    PauseClock,
    ResumeClock,
    StartClock,
    StopClock,
    WarnClock,
)
from casebus.domain.clocks import ClockPhase
from casebus.domain.deadlines import LAW_LIMITS, ClockKind, DayCount, Limit
from casebus.domain.errors import DomainRuleViolation

from .calendars import CAL_2026, local
from .playback import play, state_of

DECIDER = ClockDecider(CAL_2026)


def start(kind: ClockKind = ClockKind.HANDLE_AND_ANSWER, limit: Limit | None = None,
          day: int = 4, month: int = 8) -> StartClock:
    return StartClock(clock_id="c1", case_id="case-7", district="beiyuan", kind=kind,
                      limit=limit or LAW_LIMITS[kind], at=local(2026, month, day, 11),
                      unit_id="gas-company", category="gas supply")


def extend(days: int = 30, month: int = 9, day: int = 20, approved_by: str = "head of unit",
           reason: str = "needs a site survey") -> ExtendClock:
    return ExtendClock(clock_id="c1", at=local(2026, month, day), days=days,
                       approved_by=approved_by, reason=reason)


def test_start_records_the_due_instant() -> None:
    [started] = play(DECIDER, [start()])
    assert isinstance(started, ClockStarted)
    assert started.due_at == local(2026, 10, 9)
    assert started.type_name == "petition.clock.started" and started.district == "beiyuan"


def test_extension_pushes_due_from_the_end_of_the_period() -> None:
    events = play(DECIDER, [start(), extend()])
    assert isinstance(events[-1], ClockExtended)
    assert events[-1].due_at == local(2026, 11, 10)
    assert state_of(events).due_at == local(2026, 11, 10)  # type: ignore[union-attr]


def test_hearing_pause_pushes_reexamination_decision() -> None:
    events = play(DECIDER, [
        start(ClockKind.REEXAMINATION_DECISION, day=14, month=9),
        PauseClock(clock_id="c1", at=local(2026, 9, 28, 9), reason="hearing"),
        ResumeClock(clock_id="c1", at=local(2026, 9, 30, 17)),
    ])
    assert isinstance(events[-1], ClockResumed)
    assert events[-1].due_at == local(2026, 10, 17)  # 15 Oct + 2 hearing days


def test_stop_records_whether_on_time() -> None:
    on_time = play(DECIDER, [start(), StopClock(clock_id="c1", at=local(2026, 10, 8, 23, 59),
                                                outcome="answered")])
    late = play(DECIDER, [start(), StopClock(clock_id="c1", at=local(2026, 10, 9),
                                             outcome="answered")])
    assert isinstance(on_time[-1], ClockStopped) and on_time[-1].on_time
    assert isinstance(late[-1], ClockStopped) and not late[-1].on_time


PAUSE = PauseClock(clock_id="c1", at=local(2026, 9, 1), reason="hearing")
RESUME = ResumeClock(clock_id="c1", at=local(2026, 9, 2))
STOP = StopClock(clock_id="c1", at=local(2026, 9, 3), outcome="answered")
LATE = local(2026, 10, 9)


@pytest.mark.parametrize(("history", "command", "rule"), [
    ([], PAUSE, "clock-not-started"),
    ([start()], start(), "clock-already-started"),
    ([], start(limit=Limit(61, DayCount.CALENDAR)), "limit-within-law"),
    ([start()], ResumeClock(clock_id="c2", at=local(2026, 9, 2)), "clock-id-mismatch"),
    ([start(), STOP], PAUSE.model_copy(update={"at": local(2026, 9, 4)}), "clock-already-stopped"),
    ([start(), STOP], STOP, "clock-already-stopped"),
    ([start(), PAUSE, RESUME], PAUSE, "clock-time-goes-forward"),
    ([start()], RESUME, "clock-not-paused"),
    ([start(), PAUSE], PAUSE.model_copy(update={"at": local(2026, 9, 2)}), "clock-not-running"),
    ([start(), PAUSE], extend(), "clock-not-running"),
    ([start()], PauseClock(clock_id="c1", at=LATE, reason="hearing"), "pause-before-due"),
    ([start()], extend(days=31), "extension-at-most-30-days"),
    ([start()], extend(days=0), "extension-at-most-30-days"),
    ([start(), extend(days=10)], extend(days=5, day=21), "one-extension-only"),
    ([start()], extend(approved_by=" "), "extension-approved-by-unit-head"),
    ([start()], extend(reason=""), "extension-reason-told-to-petitioner"),
    ([start()], extend(month=10, day=9), "extend-before-due"),
    ([start(ClockKind.REVIEW_DECISION)], extend(), "extension-only-for-handle-and-answer"),
    ([start()], WarnClock(clock_id="c1", at=local(2026, 10, 5), lead=timedelta(days=3)),
     "warning-within-lead"),
    ([start()], WarnClock(clock_id="c1", at=LATE, lead=timedelta(days=3)), "warning-before-due"),
    ([start(), WarnClock(clock_id="c1", at=local(2026, 10, 6), lead=timedelta(days=3))],
     WarnClock(clock_id="c1", at=local(2026, 10, 7), lead=timedelta(days=3)),
     "one-warning-per-due-date"),
    ([start()], BreachClock(clock_id="c1", at=local(2026, 10, 8, 23)), "breach-only-when-due"),
    ([start(), BreachClock(clock_id="c1", at=LATE)], BreachClock(clock_id="c1", at=LATE),
     "one-breach-per-clock"),
])
def test_refusals_name_the_rule_and_change_nothing(history: list[ClockCommand],
                                                   command: ClockCommand, rule: str) -> None:
    events = play(DECIDER, history)
    before = state_of(events)
    with pytest.raises(DomainRuleViolation) as refused:
        DECIDER.decide(before, command)
    assert refused.value.rule == rule
    assert state_of(events) == before


def test_warning_again_after_an_extension_moves_the_due_date() -> None:
    lead = timedelta(days=3)
    events = play(DECIDER, [start(), WarnClock(clock_id="c1", at=local(2026, 10, 6), lead=lead),
                            extend(month=10, day=7),
                            WarnClock(clock_id="c1", at=local(2026, 11, 7), lead=lead)])
    assert [e.type_name for e in events][-1] == "petition.clock.warned"


def test_breached_clock_can_still_be_stopped_late() -> None:
    events = play(DECIDER, [start(), BreachClock(clock_id="c1", at=LATE),
                            StopClock(clock_id="c1", at=local(2026, 10, 12), outcome="answered")])
    clock = state_of(events)
    assert clock is not None and clock.breached and clock.phase is ClockPhase.STOPPED
    assert clock.stopped_on_time is False


def test_stopping_a_paused_clock_is_on_time_and_closes_the_pause() -> None:
    events = play(DECIDER, [start(ClockKind.REEXAMINATION_DECISION, day=14, month=9),
                            PauseClock(clock_id="c1", at=local(2026, 10, 14), reason="hearing"),
                            StopClock(clock_id="c1", at=local(2026, 10, 20), outcome="decided")])
    clock = state_of(events)
    assert isinstance(events[-1], ClockStopped) and events[-1].on_time
    assert clock is not None and clock.paused_since is None
    assert clock.due_at == local(2026, 10, 21)  # 14 Oct .. 19 Oct not counted
