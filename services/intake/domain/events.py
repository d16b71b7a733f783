"""Events of a petition's life, in the past tense. Every one carries its case and district.
This module has intake's own: arrival, registration, repeats, closing; ``answer_events`` has
the answer and the remedies against it; ``registry`` lists them all.

Free text written by or to the petitioner (description, reasons, answers) is listed in
``personal_fields`` along with names and contact details: it is encrypted at rest and never
published, because it routinely quotes names and addresses.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import AwareDatetime

from casebus.domain.events import DomainEvent
from services.intake.domain.facts import (
    Channel,
    Level,
    MatterKind,
    NotAcceptedReason,
    PetitionerDetails,
)


class CaseEvent(DomainEvent):
    case_id: str


class PetitionReceived(CaseEvent):
    type_name: ClassVar[str] = "petition.case.received"
    channel: Channel


class Registration(CaseEvent):
    """What both versions of ``petition.case.registered`` record."""

    type_name: ClassVar[str] = "petition.case.registered"
    received_at: AwareDatetime
    channel: Channel
    category: str
    community: str
    location: str | None
    subject: str
    level: Level
    petitioner_ids: list[str]
    petitioner_count: int  # people, named or not
    collective: bool
    representatives: int | None = None
    skip_level: bool = False
    responsible_level: Level | None = None
    key_person: bool
    key_period: bool
    petitioners: list[PetitionerDetails]  # in the order of petitioner_ids
    description: str
    matter_kind: MatterKind = MatterKind.CLAIM

    def public_data(self) -> dict[str, Any]:
        data = super().public_data()
        if self.matter_kind is MatterKind.REPORT:
            # An accuser's identity never reaches anyone who might pass it to the accused:
            # even the pseudonymous ids stay inside intake.
            data["petitioner_ids"] = []
        return data


class PetitionRegistered(Registration):
    """Version 2: the subject and the location are free text a clerk typed, which routinely
    names people and homes, so they are sealed with the case's key like the description and
    never published. Subscribers get the structured matter (category, community, matter kind)
    and ``place``: the location, only when the district's routing rules name it as a place."""

    version: ClassVar[int] = 2
    personal_fields: ClassVar[frozenset[str]] = frozenset(
        {"petitioners", "description", "subject", "location"})
    place: str | None = None


class PetitionRegisteredV1(Registration):
    """Registrations recorded before version 2 published their subject and location. Still
    read from intake's store (and its contract kept); never written again."""

    version: ClassVar[int] = 1
    personal_fields: ClassVar[frozenset[str]] = frozenset({"petitioners", "description"})


class PetitionReclassified(CaseEvent):
    type_name: ClassVar[str] = "petition.case.reclassified"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"reason"})
    from_kind: MatterKind
    to_kind: MatterKind
    clerk_id: str
    reason: str


class PetitionTransferredToDisciplineInspection(CaseEvent):
    """A report leaves petition handling for the discipline inspection and supervision body
    (terminal for intake)."""

    type_name: ClassVar[str] = "petition.case.transferred-to-discipline-inspection"
    body: str
    clerk_id: str


class PetitionNotAccepted(CaseEvent):
    type_name: ClassVar[str] = "petition.case.not-accepted"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"explanation"})
    reason: NotAcceptedReason
    guided_to: str | None  # the legal channel the petitioner was guided to, if any
    explanation: str


class RepeatSuggested(CaseEvent):
    type_name: ClassVar[str] = "petition.case.repeat-suggested"
    repeat_of: str
    matched_petitioner_ids: list[str]


class RepeatSuggestionConfirmed(CaseEvent):
    type_name: ClassVar[str] = "petition.case.repeat-confirmed"
    repeat_of: str
    clerk_id: str


class RepeatSuggestionRejected(CaseEvent):
    type_name: ClassVar[str] = "petition.case.repeat-rejected"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"reason"})
    rejected_case_id: str
    clerk_id: str
    reason: str


class PetitionMergedAsRepeat(CaseEvent):
    type_name: ClassVar[str] = "petition.case.merged"
    into_case_id: str
    clerk_id: str


class PetitionUnmerged(CaseEvent):
    type_name: ClassVar[str] = "petition.case.unmerged"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"reason"})
    from_case_id: str
    clerk_id: str
    reason: str


class PetitionClosed(CaseEvent):
    type_name: ClassVar[str] = "petition.case.closed"


class PetitionWithdrawn(CaseEvent):
    type_name: ClassVar[str] = "petition.case.withdrawn"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"reason"})
    reason: str


class PetitionerErased(DomainEvent):
    """A petitioner was forgotten (crypto-shredding): their keys and identity are gone. Carries
    only the random petitioner id, which nothing can tie to the person any more."""

    type_name: ClassVar[str] = "petition.petitioner.erased"
    petitioner_id: str
    keys_erased: int
    erased_by: str  # the leader's subject, as in the token


def petitioner_stream(petitioner_id: str) -> str:
    return f"petitioner:{petitioner_id}"
