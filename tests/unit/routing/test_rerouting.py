"""Routing again: after a return (skipping the units that returned the case), and reopening a
closed assignment when the case is un-merged."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.levels import Level
from services.routing.domain.assignment import AssignmentStatus, decide
from services.routing.domain.commands import (
    AcceptCase,
    AssignCase,
    CloseAssignment,
    ReopenCase,
    ReturnCase,
)
from services.routing.domain.events import CaseReopened, CaseRerouted
from services.routing.domain.rerouting import reopening_decision, reroute_after_return
from services.routing.domain.rules import CaseFacts, RoutingRules, route, route_avoiding

from .builders import CALENDAR, CASE, DISTRICT, POLICY, document, given, local
from .refusals import assert_refused

# gas in Dingjia: the committee first (most specific), then the gas company, then the office.
RULES = RoutingRules.parse(document(rules=[
    {"id": "gas-dingjia", "match": {"category": "gas", "community": "Dingjia"},
     "lead_unit": "dingjia-committee", "level": "community"},
    {"id": "gas-any", "match": {"category": "gas"}, "lead_unit": "gas-company"},
]))
FACTS = CaseFacts(case_id=CASE, district=DISTRICT, category="gas", community="Dingjia",
                  collective=True)
T0 = local(2026, 3, 2)


def assigned(at: datetime = T0) -> AssignCase:
    return AssignCase(case_id=CASE, district=DISTRICT, category="gas", at=at,
                      decision=route(FACTS, RULES), community="Dingjia", collective=True)


def give_back(unit: str, days: int) -> ReturnCase:
    return ReturnCase(case_id=CASE, district=DISTRICT, unit_id=unit, reason="not ours",
                      at=T0 + timedelta(days=days))


def test_route_skips_units_that_returned_the_case_and_says_so():
    assert route(FACTS, RULES).lead_unit == "dingjia-committee"
    second = route(FACTS, RULES, exclude=["dingjia-committee"])
    assert (second.rule_id, second.lead_unit, second.level) == ("gas-any", "gas-company",
                                                                Level.STREET)
    assert "skipped rule gas-dingjia: unit dingjia-committee returned the case" in (
        second.explanation)
    last = route(FACTS, RULES, exclude=["dingjia-committee", "gas-company"])
    assert (last.rule_id, last.lead_unit) == (None, "street-petition-office")
    assert last.explanation.startswith("no rule left for category=gas, community=Dingjia")


def test_when_the_fallback_unit_returned_it_too_no_unit_is_left():
    everyone = ["dingjia-committee", "gas-company", "street-petition-office"]
    assert route_avoiding(FACTS, RULES, everyone) is None
    with pytest.raises(DomainRuleViolation) as caught:
        route(FACTS, RULES, exclude=everyone)
    assert caught.value.rule == "unit-left-to-route-to"


def test_the_assignment_keeps_the_facts_needed_to_route_it_again():
    state = given(assigned())
    assert state.facts() == FACTS.model_copy(update={"level": Level.COMMUNITY})
    assert (state.rule_id, state.rules_version) == ("gas-dingjia", 3)


def test_a_returned_case_goes_to_the_next_unit_then_the_fallback_then_stays_returned():
    state = given(assigned(), give_back("dingjia-committee", 1))
    command = reroute_after_return(state, RULES, T0 + timedelta(days=1))
    assert command is not None
    [event] = decide(state, command, CALENDAR, POLICY)
    assert isinstance(event, CaseRerouted)
    assert (event.from_unit_id, event.unit_id, event.rule_id, event.rules_version) == (
        "dingjia-committee", "gas-company", "gas-any", 3)
    assert event.return_deadline == local(2026, 3, 11, 0)  # 5 working days from Tue 3 Mar

    state = given(assigned(), give_back("dingjia-committee", 1), command,
                  give_back("gas-company", 2))
    to_office = reroute_after_return(state, RULES, T0 + timedelta(days=2))
    assert to_office is not None and to_office.decision.lead_unit == "street-petition-office"

    state = given(assigned(), give_back("dingjia-committee", 1), command,
                  give_back("gas-company", 2), to_office, give_back("street-petition-office", 3))
    assert reroute_after_return(state, RULES, T0 + timedelta(days=3)) is None
    assert state.status is AssignmentStatus.RETURNED


def test_only_a_returned_case_is_rerouted():
    assert reroute_after_return(given(assigned()), RULES, T0) is None


def close(days: int = 9) -> CloseAssignment:
    return CloseAssignment(case_id=CASE, district=DISTRICT, reason="merged into case-0",
                           at=T0 + timedelta(days=days))


def reopening(commands: tuple[object, ...], days: int = 20) -> ReopenCase:
    state = given(*commands)  # type: ignore[arg-type]
    return ReopenCase(case_id=CASE, district=DISTRICT, at=T0 + timedelta(days=days),
                      decision=reopening_decision(state, RULES),
                      reason="unmerged from case-0")


def test_a_closed_assignment_reopens_with_a_fresh_decision_and_fresh_clocks():
    closed = (assigned(), AcceptCase(case_id=CASE, district=DISTRICT,
                                     unit_id="dingjia-committee", at=T0 + timedelta(days=1)),
              close())
    command = reopening(closed)
    [event] = decide(given(*closed), command, CALENDAR, POLICY)
    assert isinstance(event, CaseReopened)
    assert event.type_name == "petition.case.reopened"
    assert (event.unit_id, event.rule_id, event.rules_version, event.reason) == (
        "dingjia-committee", "gas-dingjia", 3, "unmerged from case-0")
    assert event.acceptance_due == local(2026, 4, 7, 0)  # 15 days from Sun 22 Mar: Mon 6 Apr
    state = given(*closed, command)
    assert (state.status, state.answer_due, state.accepted_at) == (
        AssignmentStatus.ASSIGNED, None, None)


def test_a_reopened_case_avoids_a_unit_that_returned_it():
    closed = (assigned(), give_back("dingjia-committee", 1), close())
    assert reopening(closed).decision.lead_unit == "gas-company"


def test_only_a_closed_assignment_is_reopened():
    command = reopening((assigned(), close()))
    assert_refused(given(assigned()), command, "reopen-only-closed-assignment")
    assert_refused(given(), command, "reopen-only-closed-assignment")
