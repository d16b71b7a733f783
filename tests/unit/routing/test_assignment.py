"""Every transition of an assignment, and every refusal (by its named rule)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casebus.domain.deadlines import DeadlinePolicy
from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.levels import Level
from services.routing.domain.assignment import AssignmentStatus, decide, evolve, initial_state
from services.routing.domain.commands import (
    AcceptCase,
    ArrangeCoHandling,
    CloseAssignment,
    EscalateCase,
    RerouteCase,
    ReturnCase,
    TransferCase,
)
from services.routing.domain.events import CaseAssigned, CaseEscalated, CaseRerouted

from .builders import CALENDAR, CASE, DISTRICT, POLICY, assign, decision, given, local
from .refusals import assert_refused

T0 = local(2026, 3, 2)  # a Monday


def accept(unit: str = "gas-company", at: datetime = T0 + timedelta(days=1)) -> AcceptCase:
    return AcceptCase(case_id=CASE, district=DISTRICT, unit_id=unit, at=at)


def give_back(unit: str = "gas-company", at: datetime = T0 + timedelta(days=1)
              ) -> ReturnCase:
    return ReturnCase(case_id=CASE, district=DISTRICT, unit_id=unit, reason="not ours", at=at)


def reroute(unit: str = "housing", at: datetime = T0 + timedelta(days=2)) -> RerouteCase:
    return RerouteCase(case_id=CASE, district=DISTRICT, at=at,
                       decision=decision(unit, rule_id=None))


def transfer(to: str = "housing", at: datetime = T0 + timedelta(days=3),
             assisting: list[str] | None = None) -> TransferCase:
    return TransferCase(case_id=CASE, district=DISTRICT, to_unit_id=to, reason="pipes",
                        at=at, assisting_unit_ids=assisting)


def escalate(unit: str = "district-petition-bureau", at: datetime = T0 + timedelta(days=3)
             ) -> EscalateCase:
    return EscalateCase(case_id=CASE, district=DISTRICT, unit_id=unit, reason="collective",
                        at=at)


def close(at: datetime = T0 + timedelta(days=9)) -> CloseAssignment:
    return CloseAssignment(case_id=CASE, district=DISTRICT, reason="answered", at=at)


def test_assign_records_unit_rule_and_both_art23_clocks():
    [event] = decide(initial_state(), assign(T0, assisting=("housing",)), CALENDAR, POLICY)
    assert isinstance(event, CaseAssigned)
    assert event.type_name == "petition.case.assigned"
    assert (event.unit_id, event.assisting_unit_ids, event.rule_id) == (
        "gas-company", ["housing"], "gas-any")
    assert event.acceptance_due == local(2026, 3, 18, 0)  # 15 days: end of Tue 17 Mar
    assert event.return_deadline == local(2026, 3, 10, 0)  # 5 working days: end of Mon 9 Mar
    state = evolve(initial_state(), event)
    assert state.status is AssignmentStatus.ASSIGNED
    assert state.unit_id == "gas-company" and state.category == "gas"


def test_a_district_policy_tightens_the_acceptance_clock():
    from casebus.domain.deadlines import ClockKind, DayCount, Limit
    tight = DeadlinePolicy(DISTRICT, {("gas", ClockKind.NOTIFY_ACCEPTANCE):
                                      Limit(7, DayCount.CALENDAR)})
    [event] = decide(initial_state(), assign(T0), CALENDAR, tight)
    assert isinstance(event, CaseAssigned)
    assert event.acceptance_due == local(2026, 3, 10, 0)


def test_state_is_the_fold_of_events():
    events = []
    state = initial_state()
    for command in (assign(T0), give_back(), reroute(), accept("housing", T0 + timedelta(3))):
        new = decide(state, command, CALENDAR, POLICY)
        events += new
        state = fold(evolve, state, new)
    assert fold(evolve, initial_state(), events) == state
    assert (state.status, state.unit_id, state.returned_by) == (
        AssignmentStatus.ACCEPTED, "housing", ("gas-company",))


def test_accept_starts_the_60_day_answer_clock():
    state = given(assign(T0), accept())
    assert state.status is AssignmentStatus.ACCEPTED
    # 60 days from Tue 3 Mar end on Sat 2 May, a rest day: rolled to the end of Mon 4 May.
    assert state.answer_due == local(2026, 5, 5, 0)
    assert state.answer_limit_days == 60


def test_assign_twice_is_refused():
    assert_refused(given(assign(T0)), assign(T0), "assign-only-once")


@pytest.mark.parametrize("command", [accept(), give_back(), reroute(), transfer(), escalate(),
                                     close()])
def test_nothing_happens_before_assignment(command):
    assert_refused(initial_state(), command, "case-must-be-assigned")


def test_accept_twice_is_refused():
    assert_refused(given(assign(T0), accept()), accept(), "accept-only-once")


def test_only_the_assigned_unit_may_accept_or_return():
    state = given(assign(T0))
    assert_refused(state, accept("housing"), "only-assigned-unit-may-act")
    assert_refused(state, give_back("housing"), "only-assigned-unit-may-act")


def test_a_returned_case_cannot_be_accepted_until_rerouted():
    assert_refused(given(assign(T0), give_back()), accept(), "accept-only-while-assigned")


def test_return_after_acceptance_is_refused():
    assert_refused(given(assign(T0), accept()), give_back(), "no-return-after-acceptance")


def test_return_twice_is_refused():
    assert_refused(given(assign(T0), give_back()), give_back(), "return-only-while-assigned")


def test_reroute_goes_to_another_unit_with_fresh_clocks():
    at = T0 + timedelta(days=2)
    state = given(assign(T0), give_back())
    [event] = decide(state, reroute("housing", at), CALENDAR, POLICY)
    assert isinstance(event, CaseRerouted)
    assert (event.from_unit_id, event.unit_id) == ("gas-company", "housing")
    assert event.return_deadline == local(2026, 3, 12, 0)  # 5 working days from Wed 4 Mar
    assert evolve(state, event).status is AssignmentStatus.ASSIGNED


def test_reroute_to_a_unit_that_returned_it_is_refused():
    state = given(assign(T0), give_back(), reroute("housing"),
                  give_back("housing", T0 + timedelta(days=3)))
    assert state.times_returned == 2
    assert_refused(state, reroute("gas-company", T0 + timedelta(days=4)),
                   "reroute-to-another-unit")
    assert_refused(state, reroute("housing", T0 + timedelta(days=4)), "reroute-to-another-unit")


def test_reroute_without_a_return_is_refused():
    assert_refused(given(assign(T0)), reroute(), "reroute-only-after-return")


def test_transfer_hands_the_case_over_and_the_new_unit_must_accept():
    state = given(assign(T0, assisting=("housing", "urban-management")), accept(), transfer())
    assert (state.status, state.unit_id) == (AssignmentStatus.ASSIGNED, "housing")
    assert state.assisting_unit_ids == ("urban-management",)  # the new lead no longer assists
    assert state.answer_due is None


def test_transfer_refusals():
    state = given(assign(T0))
    assert_refused(state, transfer("gas-company"), "transfer-to-another-unit")
    assert_refused(state, transfer("housing", assisting=["housing"]), "lead-unit-not-assisting")


def test_the_office_may_transfer_a_returned_case():
    # When every unit the rules give returned it, the office hands it over itself.
    state = given(assign(T0), give_back(), transfer("housing"))
    assert (state.status, state.unit_id, state.returned_by) == (
        AssignmentStatus.ASSIGNED, "housing", ("gas-company",))


def test_co_handling_names_assisting_units_under_the_current_lead():
    cmd = ArrangeCoHandling(case_id=CASE, district=DISTRICT, at=T0 + timedelta(days=1),
                            assisting_unit_ids=["housing", "urban-management"])
    state = given(assign(T0), accept(), cmd)
    assert (state.unit_id, state.assisting_unit_ids) == (
        "gas-company", ("housing", "urban-management"))
    base = given(assign(T0))
    for units, rule in [([], "co-handling-needs-assisting-units"),
                        (["gas-company"], "lead-unit-not-assisting"),
                        (["housing", "housing"], "assisting-units-distinct")]:
        assert_refused(base, cmd.model_copy(update={"assisting_unit_ids": units}), rule)


def test_escalation_climbs_one_level_at_a_time_and_never_above_district():
    state = given(assign(T0))
    assert state.level is Level.STREET
    [event] = decide(state, escalate(), CALENDAR, POLICY)
    assert isinstance(event, CaseEscalated)
    assert (event.from_level, event.to_level) == (Level.STREET, Level.DISTRICT)
    at_district = evolve(state, event)
    assert (at_district.level, at_district.unit_id) == (Level.DISTRICT, "district-petition-bureau")
    assert_refused(at_district, escalate(at=T0 + timedelta(days=4)),
                   "no-escalation-above-district")


@pytest.mark.parametrize("command", [accept(), give_back(), reroute(), transfer(), escalate(),
                                     close(), assign(T0)])
def test_nothing_changes_a_closed_assignment(command):
    state = given(assign(T0), close())
    assert state.status is AssignmentStatus.CLOSED
    rule = "assign-only-once" if command.__class__.__name__ == "AssignCase" else (
        "no-change-after-closing")
    assert_refused(state, command, rule)


def test_commands_for_another_case_or_district_are_refused():
    state = given(assign(T0))
    assert_refused(state, accept().model_copy(update={"case_id": "case-2"}),
                   "command-for-this-case")
    with pytest.raises(DomainRuleViolation) as caught:
        decide(state, accept().model_copy(update={"district": "haidian"}), CALENDAR, POLICY)
    assert caught.value.rule == "district-settings-of-own-district"
