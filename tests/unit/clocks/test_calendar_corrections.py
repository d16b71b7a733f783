"""A district's corrections to the national calendar: the decider and the effective calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from casebus.domain.calendar_corrections import (
    CalendarDayCorrected,
    CorrectCalendarDay,
    CorrectionKind,
    DistrictCorrections,
    calendar_stream_id,
    decide,
    effective_calendar,
    evolve,
    initial_state,
)
from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.national_calendar import national_calendar

from .calendars import local

DISTRICT = "beiyuan"
NATIONAL = national_calendar(DISTRICT)


def command(day: date, kind: CorrectionKind, **changes: Any) -> CorrectCalendarDay:
    fields: dict[str, Any] = {"district": DISTRICT, "at": local(2025, 9, 1, 10), "day": day,
                              "kind": kind, "reason": "street notice 2025-17",
                              "corrected_by": "leader-zhao"}
    return CorrectCalendarDay(**(fields | changes))


def run(*commands: CorrectCalendarDay) -> tuple[DistrictCorrections, list[CalendarDayCorrected]]:
    history: list[CalendarDayCorrected] = []
    for c in commands:
        history += decide(fold(evolve, initial_state(), history), c, NATIONAL)
    return fold(evolve, initial_state(), history), history


def refusal(*commands: CorrectCalendarDay) -> str:
    *before, last = commands
    state, _ = run(*before)
    with pytest.raises(DomainRuleViolation) as refused:
        decide(state, last, NATIONAL)
    return refused.value.rule


def test_a_local_holiday_makes_a_working_day_a_rest_day() -> None:
    state, events = run(command(date(2025, 9, 15), CorrectionKind.HOLIDAY))
    assert events == [CalendarDayCorrected(
        district=DISTRICT, occurred_at=local(2025, 9, 1, 10), day=date(2025, 9, 15),
        kind=CorrectionKind.HOLIDAY, reason="street notice 2025-17", corrected_by="leader-zhao")]
    assert not effective_calendar(NATIONAL, state).is_working_day(date(2025, 9, 15))


@pytest.mark.parametrize("day", [
    date(2025, 10, 8),  # a national holiday (Wednesday)
    date(2025, 9, 13),  # an ordinary Saturday
])
def test_a_working_day_correction_makes_a_rest_day_working(day: date) -> None:
    state, _ = run(command(day, CorrectionKind.WORKING_DAY))
    assert effective_calendar(NATIONAL, state).is_working_day(day)


def test_a_holiday_correction_cancels_a_national_makeup_day() -> None:
    state, _ = run(command(date(2025, 10, 11), CorrectionKind.HOLIDAY))
    assert not effective_calendar(NATIONAL, state).is_working_day(date(2025, 10, 11))


def test_the_later_correction_of_a_day_wins_and_national_restores() -> None:
    day = date(2025, 9, 15)
    state, _ = run(command(day, CorrectionKind.HOLIDAY), command(day, CorrectionKind.WORKING_DAY))
    assert state.overrides == {day: CorrectionKind.WORKING_DAY}
    state, _ = run(command(day, CorrectionKind.HOLIDAY), command(day, CorrectionKind.NATIONAL))
    assert state.overrides == {}
    assert effective_calendar(NATIONAL, state) == NATIONAL


@pytest.mark.parametrize("commands", [
    [command(date(2025, 10, 3), CorrectionKind.HOLIDAY)],  # already a national holiday
    [command(date(2025, 9, 14), CorrectionKind.HOLIDAY)],  # already a Sunday
    [command(date(2025, 9, 15), CorrectionKind.WORKING_DAY)],  # already a working Monday
    [command(date(2025, 9, 28), CorrectionKind.WORKING_DAY)],  # already a make-up day
    [command(date(2025, 9, 15), CorrectionKind.NATIONAL)],  # no override to remove
    [command(date(2025, 9, 15), CorrectionKind.HOLIDAY),
     command(date(2025, 9, 15), CorrectionKind.HOLIDAY)],  # the same correction twice
])
def test_a_correction_that_changes_nothing_is_refused(commands: list[CorrectCalendarDay]) -> None:
    assert refusal(*commands) == "calendar-correction-changes-something"


def test_national_removes_an_override_even_if_the_day_stays_the_same() -> None:
    # An override that agrees with the national schedule may still be withdrawn.
    day = date(2025, 9, 13)
    state, _ = run(command(day, CorrectionKind.WORKING_DAY),
                   command(day, CorrectionKind.HOLIDAY), command(day, CorrectionKind.NATIONAL))
    assert state.overrides == {}


@pytest.mark.parametrize(("changes", "rule"), [
    ({"reason": "   "}, "calendar-reason-given"),
    ({"reason": ""}, "calendar-reason-given"),
    ({"corrected_by": " "}, "calendar-corrector-named"),
])
def test_a_correction_says_why_and_who(changes: dict[str, str], rule: str) -> None:
    assert refusal(command(date(2025, 9, 15), CorrectionKind.HOLIDAY, **changes)) == rule


def test_reason_and_corrector_are_trimmed() -> None:
    _, [event] = run(command(date(2025, 9, 15), CorrectionKind.HOLIDAY,
                             reason="  flood closure ", corrected_by=" leader-zhao"))
    assert (event.reason, event.corrected_by) == ("flood closure", "leader-zhao")


def test_a_day_in_an_unscheduled_year_may_be_corrected_without_a_report() -> None:
    heard: list[int] = []
    listening = replace(NATIONAL, on_unscheduled_year=heard.append)
    [event] = decide(initial_state(), command(date(2027, 1, 1), CorrectionKind.HOLIDAY),
                     listening)
    assert event.day == date(2027, 1, 1)
    assert heard == []  # deciding is not a deadline: nothing to report


def test_one_stream_per_district() -> None:
    assert calendar_stream_id("beiyuan") == "calendar:beiyuan"
    assert CalendarDayCorrected.wire_type() == "petition.calendar.day-corrected.v1"
