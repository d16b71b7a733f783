from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.intake.domain import Stage, current_state, decide, initial_state
from services.intake.domain.commands import (
    NotAcceptPetition,
    ReceivePetition,
    RecordUnitAcceptance,
)
from services.intake.domain.events import PetitionNotAccepted, PetitionReceived, PetitionRegistered
from services.intake.domain.facts import Channel, Level, NotAcceptedReason
from services.intake.domain.registry import PETITION_EVENTS

from .scenario import CASE, DISTRICT, T0, UNIT, at, person, refused, register, run, stamp


def test_registering_a_new_petition_records_its_facts() -> None:
    [event] = decide(initial_state(), register(location="Building 3", key_person=True))
    assert isinstance(event, PetitionRegistered)
    assert event.case_id == CASE and event.district == DISTRICT and event.occurred_at == T0
    assert event.petitioner_ids == ["p-1"] and event.petitioner_count == 1
    assert event.collective is False and event.key_person is True and event.level is Level.STREET
    assert event.petitioners[0].name == "Zhang San"
    state = current_state([event])
    assert state.stage is Stage.REGISTERED and state.location == "Building 3"
    assert state.received_at == T0 and state.registered_at == T0


def test_personal_data_is_never_public() -> None:
    [event] = decide(initial_state(), register())
    public = event.public_data()
    assert "petitioners" not in public and "description" not in public
    assert public["petitioner_ids"] == ["p-1"]
    assert "Zhang San" not in str(public) and "110101199001011234" not in str(public)


def test_a_received_petition_can_be_registered_with_its_receipt_time() -> None:
    received = run(ReceivePetition(**stamp(T0), channel=Channel.LETTER))
    assert isinstance(received[0], PetitionReceived)
    assert current_state(received).stage is Stage.RECEIVED
    events = run(register(at=at(2024, 3, 5), channel=Channel.LETTER), history=received)
    assert current_state(events).stage is Stage.REGISTERED
    assert current_state(events).received_at == T0


def test_a_received_petition_keeps_its_receipt_time() -> None:
    received = run(ReceivePetition(**stamp(T0), channel=Channel.LETTER))
    refused(received, register(received_at=at(2024, 3, 2), at=at(2024, 3, 3)),
            "received-at-must-match")


def test_a_registered_case_cannot_be_registered_or_received_again() -> None:
    events = run(register())
    refused(events, register(), "petition-already-registered")
    refused(events, ReceivePetition(**stamp(T0), channel=Channel.VISIT),
            "petition-already-received")


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"received_at": at(2024, 3, 2)}, "registered-before-received"),
        ({"petitioners": []}, "petition-needs-a-petitioner"),
        ({"petitioners": [person("p-1"), person("p-1", "Li Si")]}, "duplicate-petitioner"),
    ],
)
def test_invalid_registrations_are_refused(overrides: dict[str, object], rule: str) -> None:
    refused([], register(**overrides), rule)


def test_naive_times_are_rejected_by_the_command() -> None:
    with pytest.raises(ValidationError):
        register(at=T0.replace(tzinfo=None))


def test_another_district_or_case_cannot_act_on_a_case() -> None:
    events = run(register())
    command = NotAcceptPetition(case_id=CASE, district="haidian", at=T0,
                                reason=NotAcceptedReason.LITIGATION, explanation="")
    refused(events, command, "case-in-another-district")
    other = NotAcceptPetition(case_id="case-2", district=DISTRICT, at=T0,
                              reason=NotAcceptedReason.LITIGATION, explanation="")
    refused(events, other, "command-for-another-case")


def test_time_does_not_run_backwards() -> None:
    events = run(register(at=at(2024, 3, 2)))
    refused(events, NotAcceptPetition(**stamp(T0), reason=NotAcceptedReason.LITIGATION,
                                      explanation=""), "time-runs-forward")


def test_litigation_is_not_accepted_and_guided_to_the_courts() -> None:
    events = run(register(), NotAcceptPetition(**stamp(at(2024, 3, 4)),
                                               reason=NotAcceptedReason.LITIGATION,
                                               explanation="a judgment is being appealed"))
    event = events[-1]
    assert isinstance(event, PetitionNotAccepted)
    assert event.guided_to == "people's court"
    assert "explanation" not in event.public_data()
    assert current_state(events).stage is Stage.NOT_ACCEPTED
    refused(events, RecordUnitAcceptance(**stamp(at(2024, 3, 5)), unit_id=UNIT),
            "petition-not-accepted")


def test_a_reason_with_no_legal_channel_guides_nowhere() -> None:
    events = run(register(), NotAcceptPetition(**stamp(T0), reason=NotAcceptedReason.CONCLUDED,
                                               explanation=""))
    assert isinstance(events[-1], PetitionNotAccepted) and events[-1].guided_to is None


def test_not_accepting_is_refused_once_a_unit_accepted() -> None:
    events = run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT))
    refused(events, NotAcceptPetition(**stamp(T0), reason=NotAcceptedReason.LITIGATION,
                                      explanation=""), "not-accepted-before-unit-acceptance")


def test_nothing_but_registration_happens_before_registration() -> None:
    refused([], RecordUnitAcceptance(**stamp(T0), unit_id=UNIT), "petition-not-registered")
    received = run(ReceivePetition(**stamp(T0), channel=Channel.PHONE))
    refused(received, RecordUnitAcceptance(**stamp(T0), unit_id=UNIT), "petition-not-registered")


def test_every_event_has_a_distinct_wire_type() -> None:
    types = [cls.wire_type() for cls in PETITION_EVENTS]
    # 24 case events (registration in two versions), a petitioner's erasure, 4 reception-day
    # and 2 service-work events
    assert len(types) == len(set(types)) == 32
    assert "petition.case.registered.v1" in PETITION_EVENTS  # stored history is still read
    assert "petition.case.registered.v2" in PETITION_EVENTS


def test_a_stored_event_parses_back_to_itself() -> None:
    [event] = decide(initial_state(), register(petitioners=[person("p-1"), person("p-2")]))
    data = event.model_dump(mode="json")
    assert PETITION_EVENTS.parse(event.wire_type(), data) == event
