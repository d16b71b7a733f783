"""Routing a case to units: ``route(facts, rules)`` picks the rule and says why.

Precedence: of the rules that match, the most specific wins (the one naming the most of
category, community, location); between equally specific rules, the one earlier in the document
wins. When nothing matches, the case goes to the fallback unit the document names (the street's
petition office), never nowhere.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.levels import Level
from services.routing.domain.routing_rules import RoutingRules
from services.routing.domain.rule_document import (
    MATCH_FIELDS,
    WILDCARD,
    RoutingRule,
    RoutingRulesInvalid,
    RuleMatch,
)

__all__ = ["CaseFacts", "RoutingDecision", "RoutingRules", "RoutingRulesInvalid", "route"]


class CaseFacts(BaseModel):
    """What routing knows about a case: never the petitioner's personal data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    case_id: str
    district: str
    category: str
    community: str
    location: str | None = None
    level: Level = Level.STREET
    collective: bool = False
    key_person: bool = False
    key_period: bool = False


class RoutingDecision(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    lead_unit: str
    assisting_units: list[str]
    rule_id: str | None  # None: no rule matched, the document's fallback unit takes it
    explanation: str
    level: Level = Level.STREET
    rules_version: int | None = None


def route(facts: CaseFacts, rules: RoutingRules) -> RoutingDecision:
    if facts.district != rules.district:
        raise DomainRuleViolation(
            "route-with-own-district-rules",
            f"case {facts.case_id} is in district {facts.district}, "
            f"the rules are district {rules.district}'s")
    ranked = sorted(
        ((index, rule) for index, rule in enumerate(rules.rules) if matches(rule.match, facts)),
        key=lambda pair: (-pair[1].specificity, pair[0]))
    if not ranked:
        return _fallback(facts, rules)
    (_, chosen), others = ranked[0], [rule for _, rule in ranked[1:]]
    because = [_why_chosen_over(chosen, other) for other in others]
    explanation = f"rule {chosen.id}: {_match_account(chosen.match, facts)}"
    if because:
        explanation += "; " + "; ".join(because)
    return RoutingDecision(
        lead_unit=chosen.lead_unit, assisting_units=list(chosen.assisting_units),
        rule_id=chosen.id, explanation=explanation, level=chosen.level,
        rules_version=rules.version)


def matches(match: RuleMatch, facts: CaseFacts) -> bool:
    for field, wanted in match.named().items():
        actual: str | None = getattr(facts, field)
        if actual is None or actual.casefold() != wanted.casefold():
            return False
    return True


def _match_account(match: RuleMatch, facts: CaseFacts) -> str:
    parts = []
    for field in MATCH_FIELDS:
        wanted = getattr(match, field)
        parts.append(f"{field}=* (any)" if wanted == WILDCARD
                     else f"{field}={getattr(facts, field)} matched")
    return ", ".join(parts)


def _why_chosen_over(chosen: RoutingRule, other: RoutingRule) -> str:
    if chosen.specificity > other.specificity:
        return (f"chosen over rule {other.id} because more specific "
                f"({chosen.specificity} named fields > {other.specificity})")
    return (f"chosen over rule {other.id} (equally specific, {chosen.specificity} named fields) "
            "because it comes first in the document")


def _fallback(facts: CaseFacts, rules: RoutingRules) -> RoutingDecision:
    unit = next(u for u in rules.units if u.id == rules.fallback_unit)
    facts_text = (f"category={facts.category}, community={facts.community}, "
                  f"location={facts.location or '-'}")
    return RoutingDecision(
        lead_unit=unit.id, assisting_units=[], rule_id=None, level=unit.level,
        rules_version=rules.version,
        explanation=(f"no rule matched {facts_text}: sent to the fallback unit {unit.id} "
                     f"named in the district's rules (version {rules.version})"))
