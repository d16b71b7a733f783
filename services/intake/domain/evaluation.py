"""The petitioner evaluates the petition office and the responsible unit, once each, within the
evaluation window after the answer's delivery; what is missing when it lapses is "not evaluated".
"""

from __future__ import annotations

from datetime import datetime

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.answer_events import EvaluationLapsed, PetitionEvaluated
from services.intake.domain.commands import EvaluatePetition, RecordEvaluationLapsed
from services.intake.domain.facts import Evaluator
from services.intake.domain.state import PetitionState
from services.intake.domain.windows import IntakeRules


def _delivered_at(state: PetitionState) -> datetime:
    if state.answer_delivered_at is None:
        raise DomainRuleViolation(
            "evaluation-requires-delivered-answer", "the answer has not been delivered"
        )
    return state.answer_delivered_at


def evaluate(
    state: PetitionState, command: EvaluatePetition, rules: IntakeRules
) -> list[PetitionEvaluated]:
    delivered_at = _delivered_at(state)
    if state.rating(command.evaluator) is not None:
        raise DomainRuleViolation(
            "evaluate-once-each", f"the {command.evaluator.value} was evaluated already"
        )
    limit = rules.evaluation_limit
    if state.evaluation_lapsed or not rules.within(delivered_at, limit, command.at):
        raise DomainRuleViolation(
            "evaluate-within-window",
            f"the evaluation window ended on {rules.last_day(delivered_at, limit)}",
        )
    return [PetitionEvaluated(**command.stamp(), evaluator=command.evaluator,
                              satisfaction=command.satisfaction)]


def lapse(
    state: PetitionState, command: RecordEvaluationLapsed, rules: IntakeRules
) -> list[EvaluationLapsed]:
    delivered_at = _delivered_at(state)
    if state.evaluation_settled:
        raise DomainRuleViolation("evaluation-already-settled", "nothing left to lapse")
    if rules.within(delivered_at, rules.evaluation_limit, command.at):
        raise DomainRuleViolation(
            "evaluation-window-still-open",
            f"the window ends on {rules.last_day(delivered_at, rules.evaluation_limit)}",
        )
    missing = [e for e in Evaluator if state.rating(e) is None]
    return [EvaluationLapsed(**command.stamp(), not_evaluated=missing)]
