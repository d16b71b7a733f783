from __future__ import annotations

from datetime import datetime

import pytest

from services.intake.domain import Stage, current_state
from services.intake.domain.commands import (
    ClosePetition,
    DecideReexamination,
    DecideReview,
    DeliverReviewDecision,
    EvaluatePetition,
    ReceivePetition,
    RecordEvaluationLapsed,
    RecordUnitAcceptance,
    RequestReexamination,
    RequestReview,
    WithdrawPetition,
)
from services.intake.domain.events import CaseEvent
from services.intake.domain.facts import Channel, Evaluator, ReviewOutcome, Satisfaction

from .scenario import T0, UNIT, at, delivered, refused, register, run, stamp

DELIVERED = at(2024, 3, 4)
DAY_31 = at(2024, 4, 4)


def close(when: datetime) -> ClosePetition:
    return ClosePetition(**stamp(when))


def evaluated() -> list[CaseEvent]:
    rates = [EvaluatePetition(**stamp(at(2024, 3, 5)), evaluator=e,
                              satisfaction=Satisfaction.SATISFIED) for e in Evaluator]
    return run(*rates, history=delivered(DELIVERED))


def test_a_final_answer_closes_the_case() -> None:
    events = run(close(DAY_31), history=evaluated())
    assert current_state(events).stage is Stage.CLOSED


def test_a_case_with_lapsed_evaluations_closes() -> None:
    events = run(RecordEvaluationLapsed(**stamp(DAY_31)), close(DAY_31),
                 history=delivered(DELIVERED))
    assert current_state(events).stage is Stage.CLOSED


def test_closing_needs_a_delivered_answer_and_settled_evaluation() -> None:
    refused(run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT)), close(DAY_31),
            "close-requires-delivered-answer")
    refused(delivered(DELIVERED), close(at(2024, 3, 30)), "close-requires-settled-evaluation")


def test_closing_waits_while_the_petitioner_may_still_ask_for_review() -> None:
    refused(evaluated(), close(at(2024, 4, 3)), "close-before-review-window-ends")


def test_closing_waits_for_review_and_reexamination() -> None:
    history = run(RequestReview(**stamp(at(2024, 3, 10)), reason="r"), history=evaluated())
    refused(history, close(DAY_31), "close-while-review-pending")
    history = run(DecideReview(**stamp(at(2024, 3, 20)), reviewing_body="b",
                               outcome=ReviewOutcome.UPHELD, summary=""), history=history)
    refused(history, close(DAY_31), "close-while-review-pending")
    history = run(DeliverReviewDecision(**stamp(at(2024, 3, 22))), history=history)
    refused(history, close(at(2024, 4, 22)), "close-before-reexamination-window-ends")
    run(close(at(2024, 4, 23)), history=history)
    history = run(RequestReexamination(**stamp(at(2024, 4, 1)), reason="r"), history=history)
    refused(history, close(at(2024, 4, 23)), "close-while-reexamination-pending")
    history = run(DecideReexamination(**stamp(at(2024, 4, 20)), reexamining_body="b",
                                      outcome=ReviewOutcome.UPHELD, summary=""),
                  history=history)
    assert current_state(run(close(at(2024, 4, 21)), history=history)).stage is Stage.CLOSED


def test_nothing_happens_after_closing() -> None:
    closed = run(close(DAY_31), history=evaluated())
    refused(closed, RequestReview(**stamp(DAY_31), reason="late"), "petition-closed")
    refused(closed, close(DAY_31), "petition-closed")
    refused(closed, WithdrawPetition(**stamp(DAY_31)), "petition-closed")
    refused(closed, register(at=DAY_31), "petition-already-registered")


@pytest.mark.parametrize("history", [
    pytest.param(lambda: run(ReceivePetition(**stamp(T0), channel=Channel.LETTER)), id="received"),
    pytest.param(lambda: run(register()), id="registered"),
    pytest.param(lambda: delivered(DELIVERED), id="answered"),
])
def test_a_live_petition_can_be_withdrawn_and_then_nothing_happens(history) -> None:
    events = run(WithdrawPetition(**stamp(DAY_31), reason="resolved privately"),
                 history=history())
    assert current_state(events).stage is Stage.WITHDRAWN
    refused(events, WithdrawPetition(**stamp(DAY_31)), "petition-withdrawn")
    refused(events, RecordUnitAcceptance(**stamp(DAY_31), unit_id="x"), "petition-withdrawn")
