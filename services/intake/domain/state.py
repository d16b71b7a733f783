"""The state of a petition, derived only from its events (see ``evolve``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.intake.domain.facts import (
    AnswerOutcome,
    Channel,
    Evaluator,
    Level,
    MatterKind,
    NotAcceptedReason,
    ReviewOutcome,
    Satisfaction,
)
from services.intake.domain.repeat import CaseFacts


class Stage(StrEnum):
    NEW = "new"
    RECEIVED = "received"
    REGISTERED = "registered"  # and being handled: see the answer and review fields
    NOT_ACCEPTED = "not-accepted"
    TRANSFERRED = "transferred"  # a report, gone to the discipline inspection body
    MERGED = "merged"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class PetitionState:
    stage: Stage = Stage.NEW
    case_id: str | None = None
    district: str | None = None
    last_at: datetime | None = None
    received_at: datetime | None = None
    registered_at: datetime | None = None
    channel: Channel | None = None
    level: Level | None = None
    category: str = ""
    community: str = ""
    location: str | None = None
    subject: str = ""
    matter_kind: MatterKind = MatterKind.CLAIM
    petitioner_ids: tuple[str, ...] = ()
    petitioner_count: int = 0
    collective: bool = False
    skip_level: bool = False
    key_person: bool = False
    key_period: bool = False
    not_accepted_reason: NotAcceptedReason | None = None
    guided_to: str | None = None  # the legal channel a not-accepted petitioner was guided to
    transferred_to: str | None = None  # the body a report went to
    pending_repeat_of: str | None = None  # suggested, awaiting the clerk
    repeat_of: str | None = None  # confirmed, or merged into
    rejected_repeats: frozenset[str] = frozenset()
    merged_into: str | None = None
    accepting_unit: str | None = None
    accepted_by: tuple[str, ...] = ()  # every unit that ever accepted it, first to last
    answered_by: str | None = None
    answer: AnswerOutcome | None = None
    answer_delivered_at: datetime | None = None
    evaluations: tuple[tuple[Evaluator, Satisfaction], ...] = ()
    evaluation_lapsed: bool = False
    review_requested_at: datetime | None = None
    review_outcome: ReviewOutcome | None = None
    review_delivered_at: datetime | None = None
    reexamination_requested_at: datetime | None = None
    reexamination_outcome: ReviewOutcome | None = None
    hearing_started_at: datetime | None = None  # a hearing is in progress
    hearings_held: int = 0

    @property
    def repeat(self) -> bool:
        return self.repeat_of is not None

    @property
    def reexamination_pending(self) -> bool:
        return self.reexamination_requested_at is not None and self.reexamination_outcome is None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    def rating(self, evaluator: Evaluator) -> Satisfaction | None:
        return dict(self.evaluations).get(evaluator)

    @property
    def evaluation_settled(self) -> bool:
        """Both evaluations given, or the window lapsed on the missing ones."""
        return self.evaluation_lapsed or len(self.evaluations) == len(Evaluator)

    def facts(self) -> CaseFacts:
        """This case as repeat and skip-level detection see it (registered cases only)."""
        if self.case_id is None or self.district is None or self.level is None \
                or self.registered_at is None:
            raise ValueError("only a registered petition has facts")
        return CaseFacts(
            case_id=self.case_id, district=self.district,
            petitioner_ids=frozenset(self.petitioner_ids), category=self.category,
            community=self.community, location=self.location, subject=self.subject,
            level=self.level, registered_at=self.registered_at,
            open=self.stage is Stage.REGISTERED, answered=self.answered,
        )


def initial_state() -> PetitionState:
    return PetitionState()
