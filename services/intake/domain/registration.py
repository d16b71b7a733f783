"""Receiving, registering and not accepting a petition."""

from __future__ import annotations

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.classification import transfer_if_report
from services.intake.domain.collective import check_representatives, is_collective, people_count
from services.intake.domain.commands import NotAcceptPetition, ReceivePetition, RegisterPetition
from services.intake.domain.events import (
    CaseEvent,
    PetitionNotAccepted,
    PetitionReceived,
    PetitionRegistered,
)
from services.intake.domain.facts import GUIDED_TO, MatterKind
from services.intake.domain.skip_level import is_skip_level
from services.intake.domain.state import PetitionState, Stage


def receive(state: PetitionState, command: ReceivePetition) -> list[PetitionReceived]:
    if state.stage is not Stage.NEW:
        raise DomainRuleViolation("petition-already-received", f"{command.case_id} exists")
    return [PetitionReceived(**command.stamp(), channel=command.channel)]


def register(state: PetitionState, command: RegisterPetition) -> list[CaseEvent]:
    if state.stage not in (Stage.NEW, Stage.RECEIVED):
        raise DomainRuleViolation(
            "petition-already-registered", f"{command.case_id} is already registered"
        )
    if state.received_at is not None and command.received_at != state.received_at:
        # The 15-day register-and-forward clock started when it was received; it cannot move.
        raise DomainRuleViolation(
            "received-at-must-match",
            f"received at {state.received_at.isoformat()}, not {command.received_at.isoformat()}",
        )
    if command.received_at > command.at:
        raise DomainRuleViolation("registered-before-received", "registered before it arrived")
    ids = [p.petitioner_id for p in command.petitioners]
    if not ids:
        raise DomainRuleViolation("petition-needs-a-petitioner", "no petitioner named")
    if len(set(ids)) != len(ids):
        raise DomainRuleViolation("duplicate-petitioner", "a petitioner is named twice")
    people = people_count(len(ids), command.headcount)
    check_representatives(command.channel, people, command.representatives)
    skip = command.responsible_level is not None and is_skip_level(
        command.level, command.responsible_level, command.answered_at_responsible_level
    )
    return [
        PetitionRegistered(
            **command.stamp(),
            received_at=command.received_at, channel=command.channel,
            category=command.category, community=command.community,
            location=command.location, place=command.place, subject=command.subject,
            level=command.level,
            petitioner_ids=ids, petitioner_count=people, collective=is_collective(people),
            representatives=command.representatives, skip_level=skip,
            responsible_level=command.responsible_level,
            key_person=command.key_person, key_period=command.key_period,
            petitioners=[p.details() for p in command.petitioners],
            description=command.description, matter_kind=command.matter_kind,
        ),
        *transfer_if_report(command.matter_kind, command.stamp(), command.clerk_id),
    ]


def not_accept(state: PetitionState, command: NotAcceptPetition) -> list[PetitionNotAccepted]:
    if state.accepting_unit is not None:
        raise DomainRuleViolation(
            "not-accepted-before-unit-acceptance",
            f"unit {state.accepting_unit} already accepted the case",
        )
    if command.reason in GUIDED_TO and state.matter_kind is not MatterKind.CLAIM:
        # Only a claim can belong to a court, an arbitration or a reconsideration.
        raise DomainRuleViolation(
            "legal-channel-only-for-claims",
            f"a {state.matter_kind} is not guided to the {GUIDED_TO[command.reason]}",
        )
    return [
        PetitionNotAccepted(
            **command.stamp(), reason=command.reason,
            guided_to=GUIDED_TO.get(command.reason), explanation=command.explanation,
        )
    ]
