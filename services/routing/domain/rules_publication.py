"""Publishing a district's routing rules is an event; each new document must have a newer version.

A decider per district: the state is the current document. A document that does not validate, or
whose version is not above the current one, is refused and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.commands import PublishRoutingRules
from services.routing.domain.events import RoutingRulesPublished
from services.routing.domain.routing_rules import RoutingRules
from services.routing.domain.rule_document import RoutingRulesInvalid


@dataclass(frozen=True)
class PublishedRules:
    current: RoutingRules | None = None

    @property
    def version(self) -> int:
        return self.current.version if self.current is not None else 0


def initial_state() -> PublishedRules:
    return PublishedRules()


def evolve(state: PublishedRules, event: RoutingRulesPublished) -> PublishedRules:
    return PublishedRules(current=RoutingRules.parse(event.document))


def decide(state: PublishedRules, command: PublishRoutingRules) -> list[RoutingRulesPublished]:
    try:
        rules = RoutingRules.parse(command.document)
    except RoutingRulesInvalid as invalid:
        raise DomainRuleViolation("routing-rules-valid", str(invalid)) from invalid
    if rules.district != command.district:
        raise DomainRuleViolation(
            "routing-rules-of-own-district",
            f"district {command.district} cannot publish rules for district {rules.district}")
    if rules.version <= state.version:
        raise DomainRuleViolation(
            "routing-rules-version-newer",
            f"version {rules.version} is not newer than the published version {state.version}")
    # The normalised document is stored, so every reader parses exactly what was checked.
    return [RoutingRulesPublished(
        district=command.district, occurred_at=command.at, rules_version=rules.version,
        document=rules.model_dump(mode="json"))]
