"""A suggestion is studied and answered on adoption: no review, no re-examination, and it
closes without waiting for a review window that does not exist for it."""

from __future__ import annotations

from services.intake.domain import Stage, current_state
from services.intake.domain.commands import (
    AnswerPetition,
    ClosePetition,
    DeliverAnswer,
    EvaluatePetition,
    RecordUnitAcceptance,
    RequestReexamination,
    RequestReview,
)
from services.intake.domain.events import CaseEvent
from services.intake.domain.facts import AnswerOutcome, Evaluator, MatterKind, Satisfaction

from .scenario import T0, UNIT, at, refused, register, run, stamp

DELIVERED = at(2024, 3, 4)


def delivered_suggestion() -> list[CaseEvent]:
    return run(
        register(matter_kind=MatterKind.SUGGESTION),
        RecordUnitAcceptance(**stamp(T0), unit_id=UNIT),
        AnswerPetition(**stamp(T0), unit_id=UNIT, outcome=AnswerOutcome.PARTLY_ADOPTED,
                       summary="Charging points will be added in the east car park."),
        DeliverAnswer(**stamp(DELIVERED)),
    )


def evaluated(history: list[CaseEvent]) -> list[CaseEvent]:
    return run(*(EvaluatePetition(**stamp(at(2024, 3, 5)), evaluator=e,
                                  satisfaction=Satisfaction.SATISFIED) for e in Evaluator),
               history=history)


def test_a_suggestion_has_no_review_or_reexamination() -> None:
    events = delivered_suggestion()
    refused(events, RequestReview(**stamp(at(2024, 3, 5)), reason="not enough"),
            "no-review-for-suggestions")
    refused(events, RequestReexamination(**stamp(at(2024, 3, 5)), reason="not enough"),
            "no-review-for-suggestions")


def test_an_evaluated_suggestion_closes_at_once() -> None:
    events = run(ClosePetition(**stamp(at(2024, 3, 6))), history=evaluated(delivered_suggestion()))
    assert current_state(events).stage is Stage.CLOSED


def test_a_claim_in_the_same_position_waits_for_the_review_window() -> None:
    claim = run(
        register(),
        RecordUnitAcceptance(**stamp(T0), unit_id=UNIT),
        AnswerPetition(**stamp(T0), unit_id=UNIT, outcome=AnswerOutcome.SUPPORT, summary="..."),
        DeliverAnswer(**stamp(DELIVERED)),
    )
    refused(evaluated(claim), ClosePetition(**stamp(at(2024, 3, 6))),
            "close-before-review-window-ends")


def test_a_suggestion_still_waits_for_its_evaluations() -> None:
    refused(delivered_suggestion(), ClosePetition(**stamp(at(2024, 3, 6))),
            "close-requires-settled-evaluation")
