"""Art. 34: one extension per case, at most 30 days, approved by the unit head, reason told."""

from __future__ import annotations

from datetime import datetime, timedelta

from casebus.domain.clock_events import ClockExtended, ClockStarted
from casebus.domain.clocks import computed_due
from casebus.domain.clocks import evolve as clock_evolve
from casebus.domain.clocks import initial_state as clock_initial_state
from casebus.domain.deadlines import MAX_EXTENSION_DAYS, ClockKind, DayCount, Limit, due_at
from casebus.domain.decider import fold
from services.routing.domain.assignment import decide
from services.routing.domain.commands import (
    AcceptCase,
    ApproveExtension,
    RefuseExtension,
    RequestExtension,
    TransferCase,
)
from services.routing.domain.events import ExtensionApproved

from .builders import CALENDAR, CASE, DISTRICT, POLICY, assign, given, local
from .refusals import assert_refused

T0 = local(2026, 3, 2)
ACCEPTED = (assign(T0), AcceptCase(case_id=CASE, district=DISTRICT, unit_id="gas-company",
                                   at=local(2026, 3, 3)))


def ask(days: int = 30, at: datetime = local(2026, 4, 1), unit: str = "gas-company"
        ) -> RequestExtension:
    return RequestExtension(case_id=CASE, district=DISTRICT, unit_id=unit, days=days,
                            reason="expert appraisal of the pipes", at=at)


def approve(at: datetime = local(2026, 4, 2)) -> ApproveExtension:
    return ApproveExtension(case_id=CASE, district=DISTRICT, approver="head of gas company",
                            at=at)


def refuse(at: datetime = local(2026, 4, 2)) -> RefuseExtension:
    return RefuseExtension(case_id=CASE, district=DISTRICT, refused_by="head", reason="no",
                           at=at)


def test_approved_extension_moves_the_answer_deadline_and_keeps_the_reason():
    state = given(*ACCEPTED, ask(30))
    [event] = decide(state, approve(), CALENDAR, POLICY)
    assert isinstance(event, ExtensionApproved)
    assert (event.approver, event.days) == ("head of gas company", 30)
    assert event.reason == "expert appraisal of the pipes"
    # The original period ends on Mon 4 May (day 60, Sat 2 May, rolled to a working day); the
    # 30 extra days run from there: Wed 3 Jun, due at its end.
    assert event.answer_due == local(2026, 6, 4, 0)
    extended = given(*ACCEPTED, ask(30), approve())
    assert extended.answer_due == local(2026, 6, 4, 0)
    assert extended.granted_extension is not None
    assert extended.granted_extension.approver == "head of gas company"


def test_routing_and_the_deadline_clock_agree_when_day_60_is_a_rest_day():
    accepted_at = local(2026, 3, 3)
    original = given(*ACCEPTED).answer_due
    assert original is not None
    # Day 60 after Tue 3 Mar is Sat 2 May, a rest day: the period ends with Mon 4 May.
    assert (accepted_at + timedelta(days=60)).weekday() == 5
    assert original == local(2026, 5, 5, 0)
    started = ClockStarted(
        district=DISTRICT, occurred_at=accepted_at, clock_id=f"clock:{CASE}:handle",
        case_id=CASE, kind=ClockKind.HANDLE_AND_ANSWER, limit=Limit(60, DayCount.CALENDAR),
        started_at=accepted_at, due_at=original)
    extended = ClockExtended(
        district=DISTRICT, occurred_at=local(2026, 4, 2), clock_id=started.clock_id,
        case_id=CASE, days=30, approved_by="head of gas company", reason="appraisal",
        due_at=original)  # the recorded instant is not what is compared below
    clock = fold(clock_evolve, clock_initial_state(), [started, extended])
    assert clock is not None
    routing_due = given(*ACCEPTED, ask(30), approve()).answer_due
    assert routing_due == computed_due(clock, CALENDAR) == local(2026, 6, 4, 0)
    # Counting 60 + 30 days from acceptance (what routing once did) ends two days earlier.
    assert due_at(accepted_at, Limit(90, DayCount.CALENDAR), CALENDAR) == local(2026, 6, 2, 0)


def test_an_approval_at_or_after_the_answer_deadline_is_refused():
    state = given(*ACCEPTED, ask(30, at=local(2026, 5, 4, 9)))
    assert state.answer_due == local(2026, 5, 5, 0)
    assert given(*ACCEPTED, ask(30, at=local(2026, 5, 4, 9)),
                 approve(at=local(2026, 5, 4, 23, 59, 59))).extension_granted
    assert_refused(state, approve(at=local(2026, 5, 5, 0)), "extend-before-due")


def test_an_approval_names_who_approved_and_a_request_needs_a_reason():
    state = given(*ACCEPTED, ask(30))
    blank = approve().model_copy(update={"approver": "   "})
    assert_refused(state, blank, "extension-approved-by-unit-head")
    assert_refused(given(*ACCEPTED), ask(10).model_copy(update={"reason": "  "}),
                   "extension-reason-told-to-petitioner")


def test_a_second_extension_is_refused():
    state = given(*ACCEPTED, ask(10), approve())
    assert state.extension_granted
    assert_refused(state, ask(5, at=local(2026, 4, 3)), "one-extension-per-case")


def test_an_extension_survives_a_transfer_so_the_new_unit_cannot_extend_again():
    transfer = TransferCase(case_id=CASE, district=DISTRICT, to_unit_id="housing",
                            reason="pipes are housing's", at=local(2026, 4, 5))
    accept = AcceptCase(case_id=CASE, district=DISTRICT, unit_id="housing", at=local(2026, 4, 6))
    state = given(*ACCEPTED, ask(10), approve(), transfer, accept)
    assert_refused(state, ask(5, at=local(2026, 4, 7), unit="housing"), "one-extension-per-case")


def test_extension_over_30_days_or_under_one_is_refused():
    state = given(*ACCEPTED)
    assert given(*ACCEPTED, ask(MAX_EXTENSION_DAYS)).pending_extension is not None
    assert_refused(state, ask(MAX_EXTENSION_DAYS + 1), "extension-at-most-30-days")
    assert_refused(state, ask(0), "extension-at-least-1-day")


def test_after_a_refusal_the_unit_may_ask_again():
    state = given(*ACCEPTED, ask(30), refuse())
    assert state.pending_extension is None and not state.extension_granted
    assert given(*ACCEPTED, ask(30), refuse(), ask(15, at=local(2026, 4, 3))
                 ).pending_extension is not None


def test_extension_refusals_by_state():
    assert_refused(given(assign(T0)), ask(), "extension-only-after-acceptance")
    assert_refused(given(*ACCEPTED, ask()), ask(), "one-extension-request-at-a-time")
    assert_refused(given(*ACCEPTED), approve(), "approve-only-pending-extension")
    assert_refused(given(*ACCEPTED), refuse(), "refuse-only-pending-extension")
    assert_refused(given(*ACCEPTED), ask(unit="housing"), "only-assigned-unit-may-act")


def test_extension_must_be_asked_for_before_the_answer_is_due():
    state = given(*ACCEPTED)
    assert state.answer_due == local(2026, 5, 5, 0)
    assert given(*ACCEPTED, ask(at=state.answer_due - timedelta(seconds=1))).pending_extension
    assert_refused(state, ask(at=state.answer_due), "extension-before-answer-due")
