"""should_escalate(): the district's conditions, one level at a time, explained."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casebus.domain.levels import Level
from services.routing.domain.assignment import decide
from services.routing.domain.commands import EscalateCase
from services.routing.domain.escalation import EscalationHistory, should_escalate
from services.routing.domain.events import CaseEscalated
from services.routing.domain.rule_document import EscalationConditions
from services.routing.domain.rules import CaseFacts

from .builders import CALENDAR, CASE, DISTRICT, POLICY, assign, given, local
from .refusals import assert_refused


def facts(level: str = "street", **flags: bool) -> CaseFacts:
    return CaseFacts(case_id="c1", district="chaoyang", category="gas", community="Dingjia",
                     level=level, **flags)


def test_no_condition_met_stays_and_says_so():
    decision = should_escalate(facts(), EscalationHistory(times_returned=1))
    assert not decision.escalate and decision.to_level is None
    assert decision.explanation == (
        "stays at street: no escalation condition met (returned 1 of 2 times)")


def test_returned_twice_escalates_from_street_to_district():
    decision = should_escalate(facts(), EscalationHistory(times_returned=2))
    assert (decision.escalate, decision.from_level, decision.to_level) == (
        True, Level.STREET, Level.DISTRICT)
    assert decision.explanation == (
        "escalate from street to district: returned 2 time(s) (escalates after 2)")


@pytest.mark.parametrize(("flags", "history", "reason"), [
    ({"collective": True}, EscalationHistory(), "collective petition"),
    ({"key_period": True}, EscalationHistory(), "key period"),
    ({"key_person": True}, EscalationHistory(), "key person involved"),
    ({}, EscalationHistory(overdue=True), "overdue"),
])
def test_each_condition_escalates_from_community_to_street(flags, history, reason):
    decision = should_escalate(facts("community", **flags), history)
    assert (decision.escalate, decision.to_level, decision.reasons) == (
        True, Level.STREET, [reason])


def test_never_above_the_district_even_when_conditions_are_met():
    decision = should_escalate(facts("district", collective=True), EscalationHistory())
    assert not decision.escalate and decision.to_level is None
    assert decision.reasons == ["collective petition"]
    assert "highest level" in decision.explanation


def test_a_district_may_switch_a_condition_off_and_raise_the_return_threshold():
    conditions = EscalationConditions(collective=False, after_returns=3)
    decision = should_escalate(facts(collective=True), EscalationHistory(times_returned=2),
                               conditions)
    assert not decision.escalate
    assert decision.explanation.endswith("not escalated on in this district: collective petition")


def test_history_of_an_assignment_counts_returns_and_overdue_acceptance():
    state = given(assign(local(2026, 3, 2)))
    assert state.acceptance_due == local(2026, 3, 18, 0)
    assert EscalationHistory.of(state, state.acceptance_due - timedelta(seconds=1)) == (
        EscalationHistory(times_returned=0, overdue=False))
    assert EscalationHistory.of(state, state.acceptance_due).overdue


def test_escalation_goes_to_a_unit_of_the_level_above():
    state = given(assign(local(2026, 3, 2)))  # at the street level
    command = EscalateCase(case_id=CASE, district=DISTRICT, unit_id="district-petition-bureau",
                           unit_level=Level.DISTRICT, reason="collective", at=local(2026, 3, 3))
    [event] = decide(state, command, CALENDAR, POLICY)
    assert isinstance(event, CaseEscalated) and event.to_level is Level.DISTRICT
    sideways = command.model_copy(update={"unit_id": "housing", "unit_level": Level.STREET})
    assert_refused(state, sideways, "escalate-to-unit-at-level-above")
