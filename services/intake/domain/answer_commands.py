"""Commands on a petition's handling: the unit's acceptance and answer, its delivery, the
petitioner's evaluation, review (复查), re-examination (复核) and its hearing."""

from __future__ import annotations

from services.intake.domain.case_command import CaseCommand
from services.intake.domain.facts import AnswerOutcome, Evaluator, ReviewOutcome, Satisfaction


class RecordUnitAcceptance(CaseCommand):
    """Issued by the service when it consumes routing's event that a unit accepted the case."""

    unit_id: str


class AnswerPetition(CaseCommand):
    unit_id: str
    outcome: AnswerOutcome
    summary: str


class DeliverAnswer(CaseCommand):
    """The answer reached the petitioner: the review window opens."""


class EvaluatePetition(CaseCommand):
    evaluator: Evaluator
    satisfaction: Satisfaction


class RecordEvaluationLapsed(CaseCommand):
    """Issued when the evaluation window has passed without (all) evaluations."""


class RequestReview(CaseCommand):
    reason: str


class DecideReview(CaseCommand):
    reviewing_body: str
    outcome: ReviewOutcome
    summary: str


class DeliverReviewDecision(CaseCommand):
    """The review decision reached the petitioner: the re-examination window opens."""


class RequestReexamination(CaseCommand):
    reason: str


class StartHearing(CaseCommand):
    """A hearing of the re-examination begins; its time is not counted."""

    clerk_id: str


class EndHearing(CaseCommand):
    clerk_id: str


class DecideReexamination(CaseCommand):
    reexamining_body: str
    outcome: ReviewOutcome
    summary: str
