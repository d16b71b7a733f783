"""Routing a case to units: ``route(facts, rules)`` picks the rule and says why.

Precedence: of the rules that match, the most specific wins (the one naming the most of
category, community, location); between equally specific rules, the one earlier in the document
wins. When nothing matches, the case goes to the fallback unit the document names (the street's
petition office), never nowhere. Routing again after a return skips the rules whose lead unit
returned the case (``exclude``).
"""

from __future__ import annotations

from collections.abc import Collection

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

__all__ = [
    "CaseFacts", "RoutingDecision", "RoutingRules", "RoutingRulesInvalid", "route",
    "route_avoiding",
]


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


def route(facts: CaseFacts, rules: RoutingRules,
          exclude: Collection[str] = ()) -> RoutingDecision:
    """The decision for ``facts``. ``exclude``: units that returned the case as outside their
    remit; the best matching rule whose lead unit is not among them wins, else the fallback
    unit. Refused ("unit-left-to-route-to") when the fallback unit returned it too: then the
    office transfers the case by hand."""
    decision = route_avoiding(facts, rules, exclude)
    if decision is None:
        raise DomainRuleViolation(
            "unit-left-to-route-to",
            f"every unit the rules give case {facts.case_id} returned it "
            f"({', '.join(exclude)}), the fallback unit {rules.fallback_unit} too: "
            "the office transfers it")
    return decision


def route_avoiding(facts: CaseFacts, rules: RoutingRules,
                   exclude: Collection[str] = ()) -> RoutingDecision | None:
    """As ``route``, but None when no unit is left (the fallback unit is excluded too)."""
    if facts.district != rules.district:
        raise DomainRuleViolation(
            "route-with-own-district-rules",
            f"case {facts.case_id} is in district {facts.district}, "
            f"the rules are district {rules.district}'s")
    ranked = [rule for _, rule in sorted(
        ((index, rule) for index, rule in enumerate(rules.rules) if matches(rule.match, facts)),
        key=lambda pair: (-pair[1].specificity, pair[0]))]
    skipped = "; ".join(f"skipped rule {r.id}: unit {r.lead_unit} returned the case"
                        for r in ranked if r.lead_unit in exclude)
    candidates = [rule for rule in ranked if rule.lead_unit not in exclude]
    if not candidates:
        return None if rules.fallback_unit in exclude else _fallback(facts, rules, skipped)
    chosen, others = candidates[0], candidates[1:]
    because = [_why_chosen_over(chosen, other) for other in others]
    explanation = f"rule {chosen.id}: {_match_account(chosen.match, facts)}"
    if because:
        explanation += "; " + "; ".join(because)
    if skipped:
        explanation += "; " + skipped
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


def _fallback(facts: CaseFacts, rules: RoutingRules, skipped: str) -> RoutingDecision:
    unit = next(u for u in rules.units if u.id == rules.fallback_unit)
    facts_text = (f"category={facts.category}, community={facts.community}, "
                  f"location={facts.location or '-'}")
    why = f"no rule left for {facts_text} ({skipped})" if skipped else (
        f"no rule matched {facts_text}")
    return RoutingDecision(
        lead_unit=unit.id, assisting_units=[], rule_id=None, level=unit.level,
        rules_version=rules.version,
        explanation=(f"{why}: sent to the fallback unit {unit.id} "
                     f"named in the district's rules (version {rules.version})"))
