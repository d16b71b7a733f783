"""When a clock warns: counted back in working days from its due instant, recorded in the events
that set the due instant, and used as recorded by the scheduler and the status."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.clock_decider import ClockDecider
from casebus.domain.clock_events import (
    BreachClock,
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
from casebus.domain.clock_status import clock_status, next_transition_at, pending_transitions
from casebus.domain.deadlines import (
    CHINA_TZ,
    LAW_LIMITS,
    ClockKind,
    DayCount,
    Limit,
    warning_starts,
)
from casebus.domain.national_calendar import national_calendar

from .calendars import CAL_2026, calendars, local
from .playback import play, state_of

NATIONAL = national_calendar("beiyuan")


@pytest.mark.parametrize(("due", "days", "warns"), [
    # National Day 2026: holidays 1-7 Oct, make-up working day Saturday 10 Oct.
    (local(2026, 10, 13), 1, local(2026, 10, 12)),  # the last day itself (Monday)
    (local(2026, 10, 13), 2, local(2026, 10, 10)),  # Sunday skipped, make-up Saturday counts
    (local(2026, 10, 13), 3, local(2026, 10, 9)),
    (local(2026, 10, 13), 5, local(2026, 9, 30)),  # the holiday week is skipped whole
    # Spring Festival 2026: holidays 15-23 Feb, make-up working day Saturday 14 Feb.
    (local(2026, 2, 25), 3, local(2026, 2, 13)),  # 24 Feb, Sat 14 Feb, Fri 13 Feb
    # A deadline in the day (an order due at 17:00): that day is the first counted.
    (local(2026, 10, 16, 17), 1, local(2026, 10, 16)),
    (local(2026, 10, 17, 17), 1, local(2026, 10, 16)),  # due on a Saturday: Friday counts
    (local(2026, 10, 13), 0, local(2026, 10, 13)),  # no lead: only the breach
])
def test_warning_starts_counts_back_working_days(due: datetime, days: int,
                                                 warns: datetime) -> None:
    assert warning_starts(due, days, NATIONAL) == warns


def test_warning_starts_refuses_a_negative_lead_and_naive_times() -> None:
    with pytest.raises(ValueError):
        warning_starts(local(2026, 10, 13), -1, NATIONAL)
    with pytest.raises(ValueError):
        warning_starts(datetime(2026, 10, 13), 3, NATIONAL)


@given(calendars(), st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(1, 10),
       st.sampled_from([time.min, time(17, 30)]))
def test_warning_leaves_exactly_n_working_days(cal: WorkingDayCalendar, last: date, n: int,
                                               at: time) -> None:
    due = (datetime.combine(last + timedelta(days=1), time.min, tzinfo=CHINA_TZ)
           if at == time.min else datetime.combine(last, at, tzinfo=CHINA_TZ))
    warns = warning_starts(due, n, cal)
    first = warns.date()
    assert warns.timetz() == time.min.replace(tzinfo=CHINA_TZ) and warns < due
    assert cal.is_working_day(first)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert sum(cal.is_working_day(d) for d in days) == n


def start(kind: ClockKind = ClockKind.HANDLE_AND_ANSWER, at: datetime = local(2026, 8, 4, 11),
          due_at: datetime | None = None) -> StartClock:
    return StartClock(clock_id="c1", case_id="case-7", district="beiyuan", kind=kind,
                      limit=LAW_LIMITS.get(kind, Limit(10, DayCount.CALENDAR)), at=at,
                      due_at=due_at)


def test_events_that_set_the_due_instant_record_when_it_warns() -> None:
    events = play(ClockDecider(CAL_2026), [
        start(), ExtendClock(clock_id="c1", at=local(2026, 9, 20), days=10, approved_by="head",
                             reason="survey")])
    started, extended = events
    assert isinstance(started, ClockStarted) and isinstance(extended, ClockExtended)
    assert (started.due_at, started.warn_at) == (local(2026, 10, 9), local(2026, 9, 29))
    # 8 Oct + 10 days = Sun 18 Oct, rolled to Mon 19 Oct; 3 working days back: Thu 15 Oct.
    assert (extended.due_at, extended.warn_at) == (local(2026, 10, 20), local(2026, 10, 15))
    assert next_transition_at(events) == local(2026, 10, 15)


def test_a_district_with_a_longer_lead_warns_earlier() -> None:
    [started] = play(ClockDecider(CAL_2026, warn_working_days=5), [start()])
    assert isinstance(started, ClockStarted)
    assert started.warn_at == local(2026, 9, 24)  # 8 Oct; 30, 29, 28, (25 off) 24 Sep


def test_resuming_records_the_warning_of_the_pushed_due_instant() -> None:
    events = play(ClockDecider(CAL_2026), [
        start(ClockKind.REEXAMINATION_DECISION, at=local(2026, 9, 14, 11)),
        PauseClock(clock_id="c1", at=local(2026, 9, 28, 9), reason="hearing"),
        ResumeClock(clock_id="c1", at=local(2026, 9, 30, 17))])
    resumed = events[-1]
    assert isinstance(resumed, ClockResumed)
    assert resumed.due_at == local(2026, 10, 17)  # last day Fri 16 Oct
    assert resumed.warn_at == local(2026, 10, 14)  # 16, 15, 14 Oct


def test_the_scheduler_warns_at_the_recorded_instant_and_not_before() -> None:
    started = ClockStarted(
        clock_id="c1", case_id="case-7", district="beiyuan", occurred_at=local(2026, 8, 4),
        kind=ClockKind.HANDLE_AND_ANSWER, limit=LAW_LIMITS[ClockKind.HANDLE_AND_ANSWER],
        started_at=local(2026, 8, 4), due_at=local(2026, 10, 9), warn_at=local(2026, 9, 1))
    assert pending_transitions([started], local(2026, 8, 31, 23, 59)) == []
    assert pending_transitions([started], local(2026, 9, 1)) == [
        WarnClock(clock_id="c1", at=local(2026, 9, 1), lead=timedelta(days=38))]
    status = clock_status([started], local(2026, 9, 1), CAL_2026)
    assert (status.condition, status.warn_at) == ("due-soon", local(2026, 9, 1))


def test_events_without_warn_at_warn_three_calendar_days_before_due() -> None:
    legacy = ClockStarted.model_validate({
        "clock_id": "c1", "case_id": "case-7", "district": "beiyuan",
        "occurred_at": "2026-08-04T00:00:00+08:00", "kind": "handle-and-answer",
        "limit": {"days": 60, "count": "calendar"}, "started_at": "2026-08-04T00:00:00+08:00",
        "due_at": "2026-10-09T00:00:00+08:00"})
    assert legacy.warn_at is None
    assert next_transition_at([legacy]) == local(2026, 10, 6)
    assert pending_transitions([legacy], local(2026, 10, 5, 23)) == []


def test_a_stop_recorded_late_is_judged_by_when_the_thing_was_done() -> None:
    decider = ClockDecider(CAL_2026)
    breached = play(decider, [start(), BreachClock(clock_id="c1", at=local(2026, 10, 9, 1))])
    [stopped] = decider.decide(state_of(breached), StopClock(
        clock_id="c1", at=local(2026, 10, 9, 1), done_at=local(2026, 10, 8, 16),
        outcome="answered"))
    assert isinstance(stopped, ClockStopped) and stopped.on_time
    assert stopped.occurred_at == local(2026, 10, 9, 1)


def test_an_extension_recorded_late_is_judged_by_when_it_was_approved() -> None:
    decider = ClockDecider(CAL_2026)
    breached = play(decider, [start(), BreachClock(clock_id="c1", at=local(2026, 10, 9, 1))])
    [extended] = decider.decide(state_of(breached), ExtendClock(
        clock_id="c1", at=local(2026, 10, 9, 1), approved_at=local(2026, 10, 8, 16), days=10,
        approved_by="head", reason="survey"))
    assert isinstance(extended, ClockExtended) and extended.due_at == local(2026, 10, 20)


def test_an_order_may_set_the_due_instant_itself() -> None:
    [started] = play(ClockDecider(CAL_2026), [
        start(ClockKind.SUPERVISION, due_at=local(2026, 8, 14, 17))])
    assert isinstance(started, ClockStarted)
    assert (started.due_at, started.warn_at) == (local(2026, 8, 14, 17), local(2026, 8, 12))
