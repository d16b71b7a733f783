"""Publishing routing rules: an event, refused unless valid, for this district, and newer."""

from __future__ import annotations

from typing import Any

import pytest

from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.commands import PublishRoutingRules
from services.routing.domain.rules import route
from services.routing.domain.rules_publication import (
    PublishedRules,
    decide,
    evolve,
    initial_state,
)

from .builders import DISTRICT, document, local

AT = local(2026, 1, 5)


def publish(**changes: Any) -> PublishRoutingRules:
    return PublishRoutingRules(district=DISTRICT, at=AT, document=document(**changes))


def refused(state: PublishedRules, command: PublishRoutingRules, rule: str) -> None:
    with pytest.raises(DomainRuleViolation) as caught:
        decide(state, command)
    assert caught.value.rule == rule


def test_publishing_records_the_version_and_the_checked_document():
    [event] = decide(initial_state(), publish())
    assert event.type_name == "petition.routing-rules.published"
    assert (event.district, event.rules_version) == (DISTRICT, 3)
    state = fold(evolve, initial_state(), [event])
    assert state.version == 3 and state.current is not None
    assert state.current.fallback_unit == "street-petition-office"


def test_a_version_that_is_not_newer_is_refused():
    state = fold(evolve, initial_state(), decide(initial_state(), publish()))
    refused(state, publish(version=3), "routing-rules-version-newer")
    refused(state, publish(version=2), "routing-rules-version-newer")
    [event] = decide(state, publish(version=4))
    assert event.rules_version == 4


def test_an_invalid_document_is_refused_with_its_problems():
    with pytest.raises(DomainRuleViolation) as caught:
        decide(initial_state(), publish(fallback_unit="nobody"))
    assert caught.value.rule == "routing-rules-valid"
    assert "fallback_unit" in caught.value.message and "nobody" in caught.value.message


def test_another_districts_document_is_refused():
    refused(initial_state(), publish(district="haidian"), "routing-rules-of-own-district")


def test_the_stored_document_routes_like_the_original():
    from services.routing.domain.rules import CaseFacts, RoutingRules
    [event] = decide(initial_state(), publish())
    facts = CaseFacts(case_id="c", district=DISTRICT, category="gas", community="Dingjia")
    original = RoutingRules.parse(document())
    assert route(facts, RoutingRules.parse(event.document)) == route(facts, original)
