"""The life of a responsibility letter: signed, amended, revoked, and what it refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.measured_rate import RateKind
from services.accountability.domain.letter_targets import LetterTargets
from services.accountability.domain.responsibility_letter import (
    LetterCommand,
    LetterState,
    ResponsibilityLetterAmended,
    ResponsibilityLetterRevoked,
    ResponsibilityLetterSigned,
    decide,
    evolve,
    initial_state,
    letter_stream_id,
)
from tests.unit.accountability.letters import TARGETS, amend, letter, revoke, sign


def run(*commands: LetterCommand) -> LetterState:
    state = initial_state()
    for command in commands:
        state = fold(evolve, state, decide(state, command))
    return state


def refused(state: LetterState, command: LetterCommand) -> str:
    with pytest.raises(DomainRuleViolation) as refusal:
        decide(state, command)
    return refusal.value.rule


def test_signing_puts_the_letter_in_force() -> None:
    events = decide(initial_state(), sign())
    assert events == [ResponsibilityLetterSigned(district="chaoyang", occurred_at=sign().at,
                                                 letter=letter(), signed_by=sign().signed_by)]
    assert fold(evolve, initial_state(), events) == LetterState(letter=letter(), in_force=True)
    assert events[0].wire_type() == "petition.responsibility-letter.signed.v1"


def test_a_second_letter_for_the_same_unit_and_year_is_refused() -> None:
    assert refused(run(sign()), sign(letter_id="L-2024-gas-bis")) == "one-letter-per-unit-and-year"
    assert refused(run(sign()), sign()) == "one-letter-per-unit-and-year"


def test_amending_changes_targets_and_person() -> None:
    state = run(sign())
    events = decide(state, amend(responsible_person="Zhao Min"))
    assert isinstance(events[0], ResponsibilityLetterAmended)
    assert fold(evolve, state, events).letter == letter(responsible_person="Zhao Min")
    assert decide(state, amend()) == []  # amending to what it says already records nothing


def test_a_revoked_letter_cannot_be_amended_or_revoked_again() -> None:
    state = run(sign(), revoke())
    assert not state.in_force
    assert refused(state, amend(responsible_person="Zhao Min")) == "revoked-letter-is-final"
    assert refused(state, revoke()) == "revoked-letter-is-final"


def test_after_revocation_a_new_letter_may_be_signed_under_a_new_id() -> None:
    state = run(sign(), revoke())
    assert refused(state, sign()) == "letter-id-unique"
    assert run(sign(), revoke(), sign(letter_id="L-2024-gas-2")).in_force


def test_nothing_to_amend_or_revoke_before_signing() -> None:
    assert refused(initial_state(), amend()) == "letter-must-be-signed"
    assert refused(initial_state(), revoke()) == "letter-must-be-signed"
    assert refused(run(sign()), revoke("L-other")) == "letter-must-be-signed"


def test_an_amendment_keeps_unit_year_and_district() -> None:
    state = run(sign())
    assert refused(state, amend(year=2025)) == "amendment-keeps-unit-and-year"
    assert refused(state, amend(district="haidian")) == "district-sees-only-its-own"
    assert refused(state, revoke(district="haidian")) == "district-sees-only-its-own"


def test_a_stream_holds_one_unit_and_year() -> None:
    state = run(sign(), revoke())
    assert refused(state, sign(letter_id="L-x", unit_id="housing")) == \
        "one-letter-per-unit-and-year"
    assert letter_stream_id("chaoyang", "gas-company", 2024) != \
        letter_stream_id("chaoyang", "gas-company", 2025)


@pytest.mark.parametrize(("targets", "rule"), [
    (LetterTargets(minimum_percent={RateKind.UNIT_SATISFACTION: Decimal("100.01")}),
     "target-threshold-within-0-100"),
    (LetterTargets(minimum_percent={RateKind.ON_TIME_ANSWER: Decimal(-1)}),
     "target-threshold-within-0-100"),
    (LetterTargets(maximum_count={RateKind.REPEAT: -1}), "count-limit-not-negative"),
    (LetterTargets(minimum_percent={RateKind.REPEAT: Decimal(5)}),
     "minimum-only-for-rates-where-more-is-better"),
    (LetterTargets(maximum_count={RateKind.UNIT_SATISFACTION: 3}),
     "count-limit-only-for-three-visits"),
    (LetterTargets(no_case_overdue=False), "letter-sets-a-target"),
])
def test_bad_targets_are_refused_on_signing_and_on_amending(targets, rule) -> None:
    assert refused(initial_state(), sign(targets=targets)) == rule
    assert refused(run(sign()), amend(targets=targets)) == rule


def test_thresholds_at_the_bounds_are_accepted() -> None:
    bounds = LetterTargets(minimum_percent={RateKind.UNIT_SATISFACTION: Decimal(100),
                                            RateKind.ON_TIME_ANSWER: Decimal(0)},
                           maximum_count={RateKind.REPEAT: 0})
    assert run(sign(targets=bounds)).in_force
    assert run(sign(), amend(targets=bounds)).letter == letter(targets=bounds)
    assert bounds != TARGETS


def test_revocation_is_recorded_with_its_reason() -> None:
    (event,) = decide(run(sign()), revoke())
    assert isinstance(event, ResponsibilityLetterRevoked)
    assert (event.letter_id, event.reason) == ("L-2024-gas", "unit merged")
