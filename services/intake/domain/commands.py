"""Commands on a petition, in the imperative: intake's own here (arrival, registration,
classification, repeats, closing), the handling's in ``answer_commands`` (re-exported)."""

from __future__ import annotations

from pydantic import AwareDatetime

from services.intake.domain.answer_commands import AnswerPetition as AnswerPetition
from services.intake.domain.answer_commands import DecideReexamination as DecideReexamination
from services.intake.domain.answer_commands import DecideReview as DecideReview
from services.intake.domain.answer_commands import DeliverAnswer as DeliverAnswer
from services.intake.domain.answer_commands import (
    DeliverReviewDecision as DeliverReviewDecision,
)
from services.intake.domain.answer_commands import EndHearing as EndHearing
from services.intake.domain.answer_commands import EvaluatePetition as EvaluatePetition
from services.intake.domain.answer_commands import (
    RecordEvaluationLapsed as RecordEvaluationLapsed,
)
from services.intake.domain.answer_commands import RecordUnitAcceptance as RecordUnitAcceptance
from services.intake.domain.answer_commands import RequestReexamination as RequestReexamination
from services.intake.domain.answer_commands import RequestReview as RequestReview
from services.intake.domain.answer_commands import StartHearing as StartHearing
from services.intake.domain.case_command import CaseCommand as CaseCommand
from services.intake.domain.facts import Channel, Level, MatterKind, NotAcceptedReason, Petitioner


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
    place: str | None = None  # the location as the district's routing rules name it, if they do
    subject: str
    description: str
    level: Level = Level.STREET  # the level the petition was brought to
    representatives: int | None = None  # how many a joint visit sent
    headcount: int | None = None  # people a joint petition speaks for, if more than named
    key_person: bool = False
    key_period: bool = False
    responsible_level: Level | None = None  # if known: decides skip-level
    answered_at_responsible_level: bool = False  # see skip_level.answered_at_level
    matter_kind: MatterKind = MatterKind.CLAIM
    clerk_id: str  # who registered it: a report's transfer names them


class ReclassifyPetition(CaseCommand):
    """The clerk corrects the kind of matter (only before a unit accepted the case)."""

    matter_kind: MatterKind
    clerk_id: str
    reason: str


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


class ClosePetition(CaseCommand):
    """Close a case whose answer is final (see closure.close)."""


class WithdrawPetition(CaseCommand):
    reason: str = ""


PetitionCommand = (
    ReceivePetition | RegisterPetition | ReclassifyPetition | NotAcceptPetition | SuggestRepeat
    | ConfirmRepeat | RejectRepeat | MergeAsRepeat | UnmergePetition | RecordUnitAcceptance
    | AnswerPetition | DeliverAnswer | EvaluatePetition | RecordEvaluationLapsed | RequestReview
    | DecideReview | DeliverReviewDecision | RequestReexamination | StartHearing | EndHearing
    | DecideReexamination | ClosePetition | WithdrawPetition
)
