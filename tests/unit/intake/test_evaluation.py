from __future__ import annotations

from services.intake.domain import current_state
from services.intake.domain.answer_events import EvaluationLapsed
from services.intake.domain.commands import EvaluatePetition, RecordEvaluationLapsed
from services.intake.domain.facts import Evaluator, Satisfaction

from .scenario import T0, at, delivered, refused, register, run, stamp

DELIVERED = at(2024, 3, 4)  # a Monday; 30 days later is Wednesday 3 April
DAY_30 = at(2024, 4, 3, 23, 59)
DAY_31 = at(2024, 4, 4, 0, 0)


def rate(evaluator: Evaluator, when=DAY_30,
         satisfaction: Satisfaction = Satisfaction.BASICALLY_SATISFIED) -> EvaluatePetition:
    return EvaluatePetition(**stamp(when), evaluator=evaluator, satisfaction=satisfaction)


def test_both_evaluations_are_recorded() -> None:
    events = run(rate(Evaluator.PETITION_OFFICE, satisfaction=Satisfaction.SATISFIED),
                 rate(Evaluator.RESPONSIBLE_UNIT, satisfaction=Satisfaction.NOT_SATISFIED),
                 history=delivered(DELIVERED))
    state = current_state(events)
    assert state.rating(Evaluator.PETITION_OFFICE) is Satisfaction.SATISFIED
    assert state.rating(Evaluator.RESPONSIBLE_UNIT) is Satisfaction.NOT_SATISFIED
    assert state.evaluation_settled


def test_each_is_evaluated_once() -> None:
    events = run(rate(Evaluator.PETITION_OFFICE), history=delivered(DELIVERED))
    assert not current_state(events).evaluation_settled
    refused(events, rate(Evaluator.PETITION_OFFICE), "evaluate-once-each")


def test_evaluation_needs_a_delivered_answer() -> None:
    refused(run(register()), rate(Evaluator.PETITION_OFFICE, when=T0),
            "evaluation-requires-delivered-answer")
    refused(run(register()), RecordEvaluationLapsed(**stamp(T0)),
            "evaluation-requires-delivered-answer")


def test_the_evaluation_window_is_30_days() -> None:
    history = delivered(DELIVERED)
    run(rate(Evaluator.PETITION_OFFICE, when=DAY_30), history=history)
    refused(history, rate(Evaluator.PETITION_OFFICE, when=DAY_31), "evaluate-within-window")


def test_missing_evaluations_lapse_after_the_window() -> None:
    history = run(rate(Evaluator.PETITION_OFFICE), history=delivered(DELIVERED))
    refused(history, RecordEvaluationLapsed(**stamp(DAY_30)), "evaluation-window-still-open")
    events = run(RecordEvaluationLapsed(**stamp(DAY_31)), history=history)
    lapsed = events[-1]
    assert isinstance(lapsed, EvaluationLapsed)
    assert lapsed.not_evaluated == [Evaluator.RESPONSIBLE_UNIT]
    state = current_state(events)
    assert state.evaluation_settled and state.rating(Evaluator.RESPONSIBLE_UNIT) is None
    refused(events, RecordEvaluationLapsed(**stamp(DAY_31)), "evaluation-already-settled")
    refused(events, rate(Evaluator.RESPONSIBLE_UNIT, when=DAY_31), "evaluate-within-window")


def test_nothing_lapses_when_both_evaluated() -> None:
    history = run(rate(Evaluator.PETITION_OFFICE), rate(Evaluator.RESPONSIBLE_UNIT),
                  history=delivered(DELIVERED))
    refused(history, RecordEvaluationLapsed(**stamp(DAY_31)), "evaluation-already-settled")
