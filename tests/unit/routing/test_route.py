"""route(): precedence of rules, and explanations a clerk can read."""

from __future__ import annotations

import pytest

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.levels import Level
from services.routing.domain.rules import CaseFacts, RoutingRules, route

from .builders import DISTRICT, document

RULES = RoutingRules.parse(document())


def facts(category: str = "gas", community: str = "Dingjia", location: str | None = None,
          district: str = DISTRICT) -> CaseFacts:
    return CaseFacts(case_id="c1", district=district, category=category, community=community,
                     location=location)


def test_the_more_specific_rule_wins_and_says_why():
    decision = route(facts(), RULES)
    assert (decision.lead_unit, decision.assisting_units, decision.rule_id, decision.level) == (
        "gas-company", ["dingjia-committee"], "gas-dingjia", Level.COMMUNITY)
    assert decision.explanation == (
        "rule gas-dingjia: category=gas matched, community=Dingjia matched, location=* (any); "
        "chosen over rule gas-any because more specific (2 named fields > 1)")
    assert decision.rules_version == 3


def test_a_general_rule_applies_elsewhere():
    decision = route(facts(community="Yashiyuan"), RULES)
    assert (decision.rule_id, decision.lead_unit) == ("gas-any", "gas-company")
    assert decision.explanation == (
        "rule gas-any: category=gas matched, community=* (any), location=* (any)")


def test_matching_ignores_letter_case():
    assert route(facts(category="GAS", community="dingjia"), RULES).rule_id == "gas-dingjia"


def test_equally_specific_rules_are_decided_by_document_order():
    doc = document()
    doc["rules"].insert(0, {"id": "gas-road", "match": {"category": "gas", "location": "Road 9"},
                            "lead_unit": "housing"})
    decision = route(facts(location="Road 9"), RoutingRules.parse(doc))
    assert decision.rule_id == "gas-road"
    assert ("chosen over rule gas-dingjia (equally specific, 2 named fields) because it comes "
            "first in the document") in decision.explanation
    assert "chosen over rule gas-any because more specific" in decision.explanation


def test_a_location_rule_needs_a_location():
    doc = document()
    doc["rules"].append({"id": "gas-road", "match": {"category": "gas", "location": "Road 9"},
                         "lead_unit": "housing"})
    assert route(facts(community="Yashiyuan"), RoutingRules.parse(doc)).rule_id == "gas-any"


def test_no_match_goes_to_the_fallback_unit_with_the_reason():
    decision = route(facts(category="neighbour-dispute", location="Block 4"), RULES)
    assert (decision.lead_unit, decision.rule_id, decision.assisting_units) == (
        "street-petition-office", None, [])
    assert decision.explanation == (
        "no rule matched category=neighbour-dispute, community=Dingjia, location=Block 4: sent "
        "to the fallback unit street-petition-office named in the district's rules (version 3)")


def test_the_fallback_takes_its_level_from_the_unit():
    rules = RoutingRules.parse(document(fallback_unit="district-petition-bureau"))
    assert route(facts(category="water"), rules).level is Level.DISTRICT


def test_rules_of_another_district_are_not_used():
    with pytest.raises(DomainRuleViolation) as caught:
        route(facts(district="haidian"), RULES)
    assert caught.value.rule == "route-with-own-district-rules"
