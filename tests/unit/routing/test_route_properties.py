"""Properties of route() over random rule tables and facts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from services.routing.domain.rules import CaseFacts, RoutingRules, route

UNITS = ["petition-office", "gas-company", "housing", "urban-management", "committee"]
VALUES = {
    "category": ["gas", "water", "parking"],
    "community": ["Dingjia", "Zhilizhuang", "Yashiyuan"],
    "location": ["Road 1", "Road 2"],
}


@st.composite
def rule_tables(draw):
    matches = draw(st.lists(
        st.tuples(*(st.sampled_from(["*", *VALUES[f]]) for f in VALUES)),
        max_size=12, unique=True))  # identical matches are refused by validation
    rules = []
    for i, match in enumerate(matches):
        lead = draw(st.sampled_from(UNITS))
        assisting = draw(st.lists(st.sampled_from([u for u in UNITS if u != lead]),
                                  unique=True, max_size=2))
        rules.append({"id": f"r{i}", "match": dict(zip(VALUES, match, strict=True)),
                      "lead_unit": lead, "assisting_units": assisting})
    return RoutingRules.parse({
        "district": "d1", "version": 1, "fallback_unit": "petition-office",
        "units": [{"id": u} for u in UNITS], "rules": rules})


case_facts = st.builds(
    CaseFacts, case_id=st.just("c"), district=st.just("d1"),
    category=st.sampled_from([*VALUES["category"], "GAS", "environment"]),
    community=st.sampled_from([*VALUES["community"], "Lakeside Garden"]),
    location=st.sampled_from([None, *VALUES["location"]]))


def oracle_matches(match: dict[str, str], facts: CaseFacts) -> bool:
    """An independent, deliberately plain statement of what "a rule matches" means."""
    for field, wanted in match.items():
        actual = getattr(facts, field)
        if wanted != "*" and (actual is None or actual.lower() != wanted.lower()):
            return False
    return True


@settings(max_examples=300)
@given(rule_tables(), case_facts)
def test_route_is_deterministic_always_names_a_unit_and_prefers_the_most_specific(rules, facts):
    decision = route(facts, rules)
    assert route(facts, RoutingRules.parse(rules.model_dump(mode="json"))) == decision
    assert decision.lead_unit in rules.unit_ids()
    assert decision.explanation

    matching = [(i, r) for i, r in enumerate(rules.rules)
                if oracle_matches(r.match.model_dump(), facts)]
    if not matching:
        assert decision.rule_id is None and decision.lead_unit == "petition-office"
        return
    chosen_index, chosen = next((i, r) for i, r in matching if r.id == decision.rule_id)
    assert decision.lead_unit == chosen.lead_unit
    for index, other in matching:
        assert other.specificity <= chosen.specificity
        if other.specificity == chosen.specificity:
            assert chosen_index <= index  # ties go to the rule first in the document
