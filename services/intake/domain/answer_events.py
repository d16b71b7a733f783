"""Events of a petition's handling: the unit's acceptance and answer, the petitioner's
evaluation, review (复查) and re-examination (复核). Personal free text is marked as in ``events``.
"""

from __future__ import annotations

from typing import ClassVar

from services.intake.domain.events import CaseEvent
from services.intake.domain.facts import AnswerOutcome, Evaluator, ReviewOutcome, Satisfaction


class UnitAcceptanceRecorded(CaseEvent):
    type_name: ClassVar[str] = "petition.case.unit-acceptance-recorded"
    unit_id: str


class PetitionAnswered(CaseEvent):
    type_name: ClassVar[str] = "petition.case.answered"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"summary"})
    unit_id: str
    outcome: AnswerOutcome
    summary: str


class AnswerDelivered(CaseEvent):
    type_name: ClassVar[str] = "petition.case.answer-delivered"


class PetitionEvaluated(CaseEvent):
    type_name: ClassVar[str] = "petition.case.evaluated"
    evaluator: Evaluator
    satisfaction: Satisfaction


class EvaluationLapsed(CaseEvent):
    """The window passed: the evaluators listed count as "not evaluated"."""

    type_name: ClassVar[str] = "petition.case.evaluation-lapsed"
    not_evaluated: list[Evaluator]


class ReviewRequested(CaseEvent):
    type_name: ClassVar[str] = "petition.case.review-requested"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"reason"})
    reason: str


class ReviewDecided(CaseEvent):
    type_name: ClassVar[str] = "petition.case.review-decided"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"summary"})
    reviewing_body: str
    outcome: ReviewOutcome
    summary: str


class ReviewDecisionDelivered(CaseEvent):
    type_name: ClassVar[str] = "petition.case.review-decision-delivered"


class ReexaminationRequested(CaseEvent):
    type_name: ClassVar[str] = "petition.case.reexamination-requested"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"reason"})
    reason: str


class HearingStarted(CaseEvent):
    """A re-examination hearing (听证) began: its time is not counted (Art. 36)."""

    type_name: ClassVar[str] = "petition.case.hearing-started"
    clerk_id: str


class HearingEnded(CaseEvent):
    type_name: ClassVar[str] = "petition.case.hearing-ended"
    clerk_id: str


class ReexaminationDecided(CaseEvent):
    type_name: ClassVar[str] = "petition.case.reexamination-decided"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"summary"})
    reexamining_body: str
    outcome: ReviewOutcome
    summary: str
