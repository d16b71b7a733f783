"""Supervision orders (督办): their own limit, counted like every period, for a unit on the case."""

from __future__ import annotations

from datetime import datetime

from casebus.domain.deadlines import DayCount, Limit, due_at
from services.routing.domain.assignment import decide
from services.routing.domain.commands import IssueSupervisionOrder
from services.routing.domain.events import SupervisionOrderIssued

from .builders import CALENDAR, CASE, DISTRICT, POLICY, assign, given, local
from .refusals import assert_refused

T0 = local(2026, 9, 28)  # a Monday before the National Day holiday


def order(order_id: str = "db-1", days: int = 5, count: DayCount = DayCount.WORKING,
          unit: str | None = None, at: datetime = local(2026, 9, 29)) -> IssueSupervisionOrder:
    return IssueSupervisionOrder(case_id=CASE, district=DISTRICT, order_id=order_id,
                                 issued_by="deputy head", instructions="report by the deadline",
                                 limit_days=days, day_count=count, unit_id=unit, at=at)


def test_an_order_counts_its_own_limit_with_the_calendar_and_names_the_holding_unit():
    state = given(assign(T0, assisting=("housing",)))
    [event] = decide(state, order(), CALENDAR, POLICY)
    assert isinstance(event, SupervisionOrderIssued)
    # 5 working days from Tue 29 Sep: 30 Sep, (1-7 Oct off), 8, 9, 10 (make-up), 12.
    assert event.due == local(2026, 10, 13, 0)
    assert (event.unit_id, event.limit_days, event.day_count) == (
        "gas-company", 5, DayCount.WORKING)
    # Accountability starts its clock from the event's limit: the same instant.
    assert event.due == due_at(event.occurred_at, Limit(5, DayCount.WORKING), CALENDAR)
    [calendar_days] = decide(state, order(count=DayCount.CALENDAR), CALENDAR, POLICY)
    assert isinstance(calendar_days, SupervisionOrderIssued)
    assert calendar_days.due == local(2026, 10, 9, 0)  # Sun 4 Oct, a holiday: rolled to Thu 8


def test_an_order_may_name_an_assisting_unit_but_not_a_unit_off_the_case():
    state = given(assign(T0, assisting=("housing",)))
    [event] = decide(state, order(unit="housing"), CALENDAR, POLICY)
    assert isinstance(event, SupervisionOrderIssued) and event.unit_id == "housing"
    assert_refused(state, order(unit="urban-management"), "supervision-of-a-unit-on-the-case")


def test_orders_are_kept_and_each_id_is_used_once():
    state = given(assign(T0), order())
    [kept] = state.supervision_orders
    assert (kept.order_id, kept.unit_id, kept.issued_by) == ("db-1", "gas-company", "deputy head")
    assert kept.due == local(2026, 10, 13, 0)
    assert_refused(state, order(), "supervision-order-id-unique")
    assert len(given(assign(T0), order(), order("db-2")).supervision_orders) == 2


def test_an_order_gives_at_least_one_day():
    assert_refused(given(assign(T0)), order(days=0), "supervision-limit-at-least-1-day")
