"""A breach is recorded once, with its evidence, and opens an accountability review."""

from __future__ import annotations

import pytest

from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from services.accountability.domain.breach import (
    AccountabilityReviewConcluded,
    AccountabilityReviewOpened,
    BreachCommand,
    BreachRecorded,
    BreachState,
    ConcludeAccountabilityReview,
    RecordBreach,
    breach_id,
    decide,
    evolve,
    initial_state,
)
from services.accountability.domain.letter_assessment import BreachFound, assess_letter
from tests.unit.accountability.letters import letter
from tests.unit.rates.street_month import MARCH, STREET_MONTH, local

FINDINGS = assess_letter(letter(), STREET_MONTH, MARCH, ["C05"])
FINDING = FINDINGS[0]
AT = local(4, 2)


def run(*commands: BreachCommand) -> BreachState:
    state = initial_state()
    for command in commands:
        state = fold(evolve, state, decide(state, command))
    return state


def conclude(district: str = "chaoyang") -> ConcludeAccountabilityReview:
    return ConcludeAccountabilityReview(at=local(4, 20), district=district,
                                        breach_id=breach_id(FINDING),
                                        responsibility_confirmed=True,
                                        conclusion="talked to the person in charge")


def refused(state: BreachState, command: BreachCommand) -> str:
    with pytest.raises(DomainRuleViolation) as refusal:
        decide(state, command)
    return refusal.value.rule


def test_recording_a_breach_opens_a_review_of_the_person_in_charge() -> None:
    recorded, opened = decide(initial_state(), RecordBreach(at=AT, finding=FINDING))
    assert isinstance(recorded, BreachRecorded) and recorded.finding == FINDING
    assert isinstance(opened, AccountabilityReviewOpened)
    assert (opened.breach_id, opened.unit_id, opened.responsible_person) == (
        breach_id(FINDING), "gas-company", "Wang Li")
    assert recorded.public_data()["finding"]["case_ids"] == list(FINDING.case_ids)


def test_each_breach_of_an_assessment_has_its_own_id() -> None:
    assert len({breach_id(f) for f in FINDINGS}) == len(FINDINGS) > 1


def test_the_same_breach_found_again_records_nothing_a_different_one_is_refused() -> None:
    state = run(RecordBreach(at=AT, finding=FINDING))
    assert decide(state, RecordBreach(at=local(4, 3), finding=FINDING)) == []
    other = FINDING.model_copy(update={"case_ids": ("C01",)})
    assert refused(state, RecordBreach(at=AT, finding=other)) == "breach-recorded-once"


def test_a_breach_without_evidence_is_refused() -> None:
    empty = FINDING.model_copy(update={"case_ids": ()})
    assert refused(initial_state(), RecordBreach(at=AT, finding=empty)) == "breach-has-evidence"


def test_a_review_is_concluded_once_and_only_in_its_district() -> None:
    state = run(RecordBreach(at=AT, finding=FINDING))
    assert refused(state, conclude("haidian")) == "review-needs-a-breach"
    (event,) = decide(state, conclude())
    assert isinstance(event, AccountabilityReviewConcluded) and event.responsibility_confirmed
    concluded = fold(evolve, state, [event])
    assert refused(concluded, conclude()) == "review-concluded-once"
    assert refused(initial_state(), conclude()) == "review-needs-a-breach"


def test_findings_are_frozen_evidence() -> None:
    with pytest.raises(ValueError, match="frozen"):
        FINDING.case_ids = ()  # type: ignore[misc]
    assert isinstance(FINDING, BreachFound)


def test_a_review_of_a_petition_induced_by_the_units_error_names_the_responsible_person() -> None:
    state = run(RecordBreach(at=AT, finding=FINDING))
    induced = conclude().model_copy(update={"induced_by_unit_error": True})
    assert refused(state, induced) == "unit-error-names-the-responsible-person"
    blank = induced.model_copy(update={"responsible_person": "  "})
    assert refused(state, blank) == "unit-error-names-the-responsible-person"
    (event,) = decide(state, induced.model_copy(update={"responsible_person": "Wang Li"}))
    assert isinstance(event, AccountabilityReviewConcluded)
    assert (event.induced_by_unit_error, event.responsible_person) == (True, "Wang Li")
