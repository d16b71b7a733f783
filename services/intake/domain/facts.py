"""The vocabulary of a petition: how it came, who brought it, where, and how it was answered.

Enum values are lower-case kebab words because they travel on the wire and in JSON Schemas.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# Shared vocabulary, re-exported: a petition's facts are read from this one module.
from casebus.domain.evaluation import Evaluator as Evaluator
from casebus.domain.evaluation import Satisfaction as Satisfaction
from casebus.domain.levels import Level as Level


class Channel(StrEnum):
    LETTER = "letter"
    VISIT = "visit"
    PHONE = "phone"
    ONLINE = "online"
    GRID_INSPECTION = "grid-inspection"  # found by grid staff on their daily rounds
    INITIATIVE_VISIT = "initiative-visit"  # cadres "take the initiative to visit"
    RECEPTION_DAY = "reception-day"  # a leader's reception day

    @property
    def in_person(self) -> bool:
        """Petitioners came in person, so a group must send representatives."""
        return self in (Channel.VISIT, Channel.RECEPTION_DAY)


class MatterKind(StrEnum):
    """Classified handling (Regulations 2022): each kind of matter takes its own road."""

    SUGGESTION = "suggestion"  # 建议意见类: studied and answered on adoption; no appeal
    REPORT = "report"  # 检举控告类: accusations against officials, for discipline inspection
    CLAIM = "claim"  # 申诉求决类: handled on the merits, with review and re-examination


# Where every report goes: out of petition handling, under that body's own rules.
DISCIPLINE_INSPECTION = "discipline inspection and supervision body"


class NotAcceptedReason(StrEnum):
    """Why a petition is not accepted (Regulations 2022, Art. 32)."""

    LITIGATION = "litigation"  # 涉法涉诉: belongs to the courts
    ARBITRATION = "arbitration"
    ADMINISTRATIVE_RECONSIDERATION = "administrative-reconsideration"
    CONCLUDED = "concluded"  # same facts and reasons as a case already through re-examination
    OUTSIDE_REMIT = "outside-remit"  # not a matter for any organ of this district
    NOT_A_PETITION = "not-a-petition"


# Where a petitioner is guided when another legal channel must handle the matter.
GUIDED_TO: dict[NotAcceptedReason, str] = {
    NotAcceptedReason.LITIGATION: "people's court",
    NotAcceptedReason.ARBITRATION: "arbitration commission",
    NotAcceptedReason.ADMINISTRATIVE_RECONSIDERATION: "administrative reconsideration organ",
}


class AnswerOutcome(StrEnum):
    """A claim is answered on its merits, a suggestion on whether it is adopted."""

    SUPPORT = "support"
    EXPLAIN = "explain"
    NOT_SUPPORT = "not-support"
    ADOPTED = "adopted"
    PARTLY_ADOPTED = "partly-adopted"
    NOT_ADOPTED = "not-adopted"

    @property
    def answers(self) -> MatterKind:
        """The kind of matter this outcome answers."""
        adoption = (AnswerOutcome.ADOPTED, AnswerOutcome.PARTLY_ADOPTED,
                    AnswerOutcome.NOT_ADOPTED)
        return MatterKind.SUGGESTION if self in adoption else MatterKind.CLAIM


class ReviewOutcome(StrEnum):
    """The decision of a review (复查) or re-examination (复核) on the answer below it."""

    UPHELD = "upheld"
    REVISED = "revised"


class PetitionerDetails(BaseModel):
    """A petitioner's personal data: encrypted at rest, never published."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None


class Petitioner(PetitionerDetails):
    """A petitioner as a clerk registers them. ``petitioner_id`` is pseudonymous, chosen by the
    service, and is the identity repeat detection matches on."""

    petitioner_id: str

    def details(self) -> PetitionerDetails:
        return PetitionerDetails(
            name=self.name, id_number=self.id_number, phone=self.phone, address=self.address
        )
