"""``RoutingRules``: one district's routing document, checked as a whole.

Shape (the service loads it from YAML/JSON and passes the dict to ``RoutingRules.parse``)::

    district: beiyuan
    version: 3
    fallback_unit: beiyuan-petition-office   # where a case goes when no rule matches
    units: [{id: gas-company, name: Gas company, level: street}, ...]
    rules:
      - {id: gas-dingjia, match: {category: gas, community: Dingjia},
         lead_unit: gas-company, assisting_units: [dingjia-committee], level: community}
    escalation: {after_returns: 2, collective: true, key_period: true, key_person: true,
                 overdue: true}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, ValidationError, model_validator

from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.rule_document import (
    EscalationConditions,
    Name,
    RoutingRule,
    RoutingRulesInvalid,
    RuleProblem,
    Unit,
    _Document,
)


class RoutingRules(_Document):
    district: Name
    version: int = Field(ge=1)
    fallback_unit: Name
    units: tuple[Unit, ...] = Field(min_length=1)
    rules: tuple[RoutingRule, ...] = ()
    escalation: EscalationConditions = EscalationConditions()

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> RoutingRules:
        """Validate a parsed document; raise ``RoutingRulesInvalid`` naming every problem."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise RoutingRulesInvalid(_problems_from(error, data)) from None

    @model_validator(mode="after")
    def _consistent(self) -> RoutingRules:
        problems = _cross_problems(self)
        if problems:
            raise RoutingRulesInvalid(problems)
        return self

    def unit_ids(self) -> frozenset[str]:
        return frozenset(u.id for u in self.units)

    def unit(self, unit_id: str) -> Unit:
        """The district's unit ``unit_id``; refused ("unit-known") if the rules name none."""
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise DomainRuleViolation(
            "unit-known", f"district {self.district} has no unit {unit_id!r} in its routing "
                          f"rules (version {self.version})")


def _cross_problems(doc: RoutingRules) -> list[RuleProblem]:
    """Rules that only the whole document can check: references and uniqueness."""
    problems: list[RuleProblem] = []
    known = doc.unit_ids()
    known_text = ", ".join(sorted(known))
    seen_units: set[str] = set()
    for unit in doc.units:
        if unit.id in seen_units:
            problems.append(RuleProblem(rule="document", field="units",
                                        why=f"duplicate unit id '{unit.id}'"))
        seen_units.add(unit.id)
    if doc.fallback_unit not in known:
        why = f"unknown unit '{doc.fallback_unit}' (known: {known_text})"
        problems.append(RuleProblem(rule="document", field="fallback_unit", why=why))
    first_with_match: dict[tuple[str, ...], str] = {}
    seen_rules: set[str] = set()
    for rule in doc.rules:
        name = f"rule '{rule.id}'"
        if rule.id in seen_rules:
            problems.append(RuleProblem(rule=name, field="id", why="duplicate rule id"))
        seen_rules.add(rule.id)
        for field, unit_id in [("lead_unit", rule.lead_unit),
                               *(("assisting_units", a) for a in rule.assisting_units)]:
            if unit_id not in known:
                problems.append(RuleProblem(rule=name, field=field,
                                            why=f"unknown unit '{unit_id}' (known: {known_text})"))
        if rule.lead_unit in rule.assisting_units:
            problems.append(RuleProblem(rule=name, field="assisting_units",
                                        why=f"lead unit '{rule.lead_unit}' cannot also assist"))
        if len(set(rule.assisting_units)) != len(rule.assisting_units):
            problems.append(RuleProblem(rule=name, field="assisting_units",
                                        why="a unit is listed twice"))
        key = tuple(getattr(rule.match, f).casefold() for f in ("category", "community",
                                                                "location"))
        if key in first_with_match:
            # Two rules matching exactly the same cases would make the choice arbitrary.
            problems.append(RuleProblem(rule=name, field="match", why=(
                f"matches exactly the same cases as rule '{first_with_match[key]}'")))
        first_with_match.setdefault(key, rule.id)
    return problems


def _problems_from(error: ValidationError, data: Mapping[str, Any]) -> list[RuleProblem]:
    problems: list[RuleProblem] = []
    for detail in error.errors():
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, RoutingRulesInvalid):
            problems.extend(cause.problems)
            continue
        loc = list(detail["loc"])
        rule = "document"
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rule = _rule_name(data, loc[1])
            loc = loc[2:]
        field = ".".join(str(part) for part in loc) or "(whole)"
        problems.append(RuleProblem(rule=rule, field=field, why=_why(detail["type"],
                                                                     detail["msg"])))
    return problems


def _why(error_type: str, message: str) -> str:
    if error_type == "extra_forbidden":
        return "unknown field (is it misspelt?)"
    return message.removeprefix("Value error, ")


def _rule_name(data: Mapping[str, Any], index: int) -> str:
    rules = data.get("rules")
    raw = rules[index] if isinstance(rules, list | tuple) and index < len(rules) else None
    rule_id = raw.get("id") if isinstance(raw, Mapping) else None
    return f"rule '{rule_id}'" if isinstance(rule_id, str) and rule_id else f"rules[{index}]"
