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
    SUPPORT = "support"
    EXPLAIN = "explain"
    NOT_SUPPORT = "not-support"




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
