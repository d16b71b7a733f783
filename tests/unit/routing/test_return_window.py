"""Art. 23: a unit may return an assignment outside its remit within 5 working days, counted
with the district's calendar: weekends, the 2026 National Day holiday and its make-up days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from casebus.domain.calendar import WorkingDayCalendar
from services.routing.domain.assignment import AssignmentStatus, decide, initial_state
from services.routing.domain.commands import ReturnCase
from services.routing.domain.events import CaseAssigned

from .builders import (
    CALENDAR,
    CASE,
    DISTRICT,
    NATIONAL_DAY_2026,
    POLICY,
    assign,
    given,
    local,
)
from .refusals import assert_refused

SECOND = timedelta(seconds=1)


def give_back(at: datetime) -> ReturnCase:
    return ReturnCase(case_id=CASE, district=DISTRICT, unit_id="gas-company",
                      reason="outside our remit", at=at)


@pytest.mark.parametrize(("assigned_at", "last_day"), [
    # Fri 6 Mar: the weekend does not count -> Mon 9 .. Fri 13.
    (local(2026, 3, 6, 16), local(2026, 3, 13)),
    # Wed 30 Sep: 1-7 Oct are holidays, Sat 10 Oct is a make-up working day -> 8, 9, 10, 12, 13.
    (local(2026, 9, 30, 16), local(2026, 10, 13)),
    # Thu 17 Sep: Sun 20 Sep is a make-up working day -> 18, 20, 21, 22, 23.
    (local(2026, 9, 17, 9), local(2026, 9, 23)),
    # 23:30 local on Tue 29 Sep is 15:30 UTC: the district's local date counts -> 30, 8, 9, 10, 12.
    (datetime(2026, 9, 29, 15, 30, tzinfo=UTC), local(2026, 10, 12)),
])
def test_return_is_accepted_until_the_end_of_the_fifth_working_day(assigned_at, last_day):
    state = given(assign(assigned_at))
    end = last_day.replace(hour=0) + timedelta(days=1)
    assert state.return_deadline == end
    assert given(assign(assigned_at), give_back(end - SECOND)).status is AssignmentStatus.RETURNED
    assert_refused(state, give_back(end), "return-within-5-working-days")


def test_the_makeup_working_day_shortens_the_window_by_a_day():
    # The same assignment under a calendar without Sat 10 Oct as a make-up day ends a day later.
    no_makeup = WorkingDayCalendar(DISTRICT).with_holidays(NATIONAL_DAY_2026)
    [with_makeup] = decide(initial_state(), assign(local(2026, 9, 30, 16)), CALENDAR, POLICY)
    [without] = decide(initial_state(), assign(local(2026, 9, 30, 16)), no_makeup, POLICY)
    assert isinstance(with_makeup, CaseAssigned) and isinstance(without, CaseAssigned)
    assert with_makeup.return_deadline == local(2026, 10, 14, 0)
    assert without.return_deadline == local(2026, 10, 15, 0)


def test_a_return_on_a_holiday_inside_the_window_is_accepted():
    state = given(assign(local(2026, 9, 30, 16)), give_back(local(2026, 10, 3, 11)))
    assert state.returned_by == ("gas-company",)
