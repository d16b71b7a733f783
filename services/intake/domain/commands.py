"""Commands on a petition, in the imperative. Each names its case, its district (a district
never writes another's case) and ``at``, the moment it is issued: time is always passed in."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, Field

from casebus.domain.events import Command
from services.intake.domain.facts import (
    AnswerOutcome,
    Channel,
    Evaluator,
    Level,
    NotAcceptedReason,
    Petitioner,
    ReviewOutcome,
    Satisfaction,
)


class CaseCommand(Command):
    case_id: str = Field(min_length=1)
    district: str = Field(min_length=1)
    at: AwareDatetime

    def stamp(self) -> dict[str, Any]:  # the fields every event it causes carries
        return {"case_id": self.case_id, "district": self.district, "occurred_at": self.at}


class ReceivePetition(CaseCommand):
    """Log that a petition arrived, before it is registered (the 15-day clock starts here)."""

    channel: Channel


class RegisterPetition(CaseCommand):
    received_at: AwareDatetime
    channel: Channel
    petitioners: list[Petitioner]
    category: str
    community: str
    location: str | None = None
    subject: str
    description: str
    level: Level = Level.STREET  # the level the petition was brought to
    representatives: int | None = None  # how many a joint visit sent
    headcount: int | None = None  # people a joint petition speaks for, if more than named
    key_person: bool = False
    key_period: bool = False
    responsible_level: Level | None = None  # if known: decides skip-level
    answered_at_responsible_level: bool = False  # see skip_level.answered_at_level


class NotAcceptPetition(CaseCommand):
    reason: NotAcceptedReason
    explanation: str


class SuggestRepeat(CaseCommand):
    """Issued by the service when ``suggest_repeat`` finds a match."""

    repeat_of: str
    matched_petitioner_ids: list[str]


class ConfirmRepeat(CaseCommand):
    clerk_id: str


class RejectRepeat(CaseCommand):
    clerk_id: str
    reason: str = ""


class MergeAsRepeat(CaseCommand):
    into_case_id: str
    clerk_id: str


class UnmergePetition(CaseCommand):
    clerk_id: str
    reason: str


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


class DecideReexamination(CaseCommand):
    reexamining_body: str
    outcome: ReviewOutcome
    summary: str


class ClosePetition(CaseCommand):
    """Close a case whose answer is final (see closure.close)."""


class WithdrawPetition(CaseCommand):
    reason: str = ""


PetitionCommand = (
    ReceivePetition | RegisterPetition | NotAcceptPetition | SuggestRepeat | ConfirmRepeat
    | RejectRepeat | MergeAsRepeat | UnmergePetition | RecordUnitAcceptance | AnswerPetition
    | DeliverAnswer | EvaluatePetition | RecordEvaluationLapsed | RequestReview | DecideReview
    | DeliverReviewDecision | RequestReexamination | DecideReexamination | ClosePetition
    | WithdrawPetition
)
