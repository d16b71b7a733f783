"""Invalid routing documents are refused with every problem named: rule, field, why."""

from __future__ import annotations

from typing import Any

import pytest

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.levels import Level
from services.routing.domain.rules import RoutingRules, RoutingRulesInvalid

from .builders import document


def problems(doc: dict[str, Any]) -> RoutingRulesInvalid:
    with pytest.raises(RoutingRulesInvalid) as caught:
        RoutingRules.parse(doc)
    return caught.value


def test_a_valid_document_parses():
    rules = RoutingRules.parse(document())
    assert (rules.district, rules.version, rules.fallback_unit) == (
        "chaoyang", 3, "street-petition-office")
    by_id = {rule.id: rule for rule in rules.rules}
    assert by_id["gas-dingjia"].level is Level.COMMUNITY
    assert [by_id[i].specificity for i in ("gas-any", "gas-dingjia", "parking-any")] == [1, 2, 1]
    assert rules.escalation.after_returns == 2


def test_unknown_unit_names_rule_field_and_unit():
    doc = document()
    doc["rules"][1]["assisting_units"] = ["dingjia-comittee"]
    error = problems(doc)
    [problem] = error.problems
    assert (problem.rule, problem.field) == ("rule 'gas-dingjia'", "assisting_units")
    assert "unknown unit 'dingjia-comittee'" in problem.why
    assert "rule 'gas-dingjia', field 'assisting_units': unknown unit" in str(error)


def test_duplicate_rule_id():
    doc = document()
    doc["rules"][2]["id"] = "gas-any"
    [problem] = problems(doc).problems
    assert (problem.rule, problem.field, problem.why) == ("rule 'gas-any'", "id",
                                                         "duplicate rule id")


@pytest.mark.parametrize("match", [{}, {"category": ""}])
def test_empty_match(match):
    doc = document()
    doc["rules"][0]["match"] = match
    [problem] = problems(doc).problems
    assert (problem.rule, problem.field[:5]) == ("rule 'gas-any'", "match")
    expected = "empty match: name at least one of" if not match else "at least 1 character"
    assert problem.why.startswith(expected) if not match else expected in problem.why


def test_rule_without_id_is_named_by_position():
    doc = document()
    del doc["rules"][1]["id"]
    [problem] = problems(doc).problems
    assert (problem.rule, problem.field) == ("rules[1]", "id")


def test_unknown_fallback_unit_and_misspelt_field_and_bad_level():
    doc = document(fallback_unit="nobody")
    assert [(p.rule, p.field) for p in problems(doc).problems] == [("document", "fallback_unit")]
    doc = document()
    doc["rules"][0]["lead_unti"] = "gas-company"
    doc["rules"][2]["level"] = "province"
    found = {(p.rule, p.field) for p in problems(doc).problems}
    assert found == {("rule 'gas-any'", "lead_unti"), ("rule 'parking-any'", "level")}
    assert "rule 'gas-any', field 'lead_unti': unknown field (is it misspelt?)" in str(
        problems(doc))


def test_rules_matching_the_same_cases_and_lead_assisting_itself():
    doc = document()
    doc["rules"].append({"id": "gas-too", "match": {"category": "GAS", "location": "*"},
                         "lead_unit": "housing", "assisting_units": ["housing"]})
    whys = {(p.field, p.why) for p in problems(doc).problems}
    assert ("match", "matches exactly the same cases as rule 'gas-any'") in whys
    assert ("assisting_units", "lead unit 'housing' cannot also assist") in whys


def test_every_cross_reference_problem_is_reported_at_once():
    doc = document(fallback_unit="nobody")
    doc["rules"][0]["lead_unit"] = "gas-co"
    doc["units"].append({"id": "housing"})
    assert len(problems(doc).problems) == 3


def test_version_must_be_positive():
    [problem] = problems(document(version=0)).problems
    assert (problem.rule, problem.field) == ("document", "version")


def test_a_unit_is_looked_up_by_id_and_an_unknown_one_is_refused():
    rules = RoutingRules.parse(document())
    assert rules.unit("dingjia-committee").level is Level.COMMUNITY
    with pytest.raises(DomainRuleViolation) as caught:
        rules.unit("water-company")
    assert caught.value.rule == "unit-known" and "water-company" in caught.value.message
