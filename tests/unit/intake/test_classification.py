"""Classified handling: suggestion, report or claim; a report goes to discipline inspection."""

from __future__ import annotations

from services.intake.domain import Stage, current_state
from services.intake.domain.commands import (
    AnswerPetition,
    NotAcceptPetition,
    ReclassifyPetition,
    RecordUnitAcceptance,
)
from services.intake.domain.events import (
    PetitionReclassified,
    PetitionRegistered,
    PetitionTransferredToDisciplineInspection,
)
from services.intake.domain.facts import (
    DISCIPLINE_INSPECTION,
    AnswerOutcome,
    MatterKind,
    NotAcceptedReason,
)
from services.intake.domain.registry import PETITION_EVENTS

from .scenario import CLERK, T0, UNIT, at, person, refused, register, run, stamp


def reclassify(kind: MatterKind, when=T0) -> ReclassifyPetition:
    return ReclassifyPetition(**stamp(when), matter_kind=kind, clerk_id=CLERK,
                              reason="the letter accuses the community director of bribery")


def test_a_petition_is_a_claim_unless_classified_otherwise() -> None:
    [registered] = run(register())
    assert isinstance(registered, PetitionRegistered)
    assert registered.matter_kind is MatterKind.CLAIM
    assert current_state([registered]).matter_kind is MatterKind.CLAIM


def test_a_report_is_transferred_to_discipline_inspection_at_once() -> None:
    events = run(register(matter_kind=MatterKind.REPORT))
    registered, transferred = events
    assert isinstance(transferred, PetitionTransferredToDisciplineInspection)
    assert transferred.body == DISCIPLINE_INSPECTION and transferred.clerk_id == CLERK
    assert transferred.occurred_at == registered.occurred_at
    state = current_state(events)
    assert state.stage is Stage.TRANSFERRED and state.transferred_to == DISCIPLINE_INSPECTION
    # Out of petition handling: nothing more happens to it here.
    refused(events, RecordUnitAcceptance(**stamp(T0), unit_id=UNIT), "petition-transferred")
    refused(events, reclassify(MatterKind.CLAIM), "petition-transferred")


def test_a_report_publishes_no_petitioner_ids_but_keeps_them_inside() -> None:
    [report, _] = run(register(matter_kind=MatterKind.REPORT,
                               petitioners=[person("p-1"), person("p-2", "Li Si")]))
    assert isinstance(report, PetitionRegistered)
    public = report.public_data()
    assert public["petitioner_ids"] == [] and public["matter_kind"] == "report"
    assert public["petitioner_count"] == 2
    assert "petitioners" not in public
    assert report.petitioner_ids == ["p-1", "p-2"]  # stored (sealed) for intake alone
    stored = PETITION_EVENTS.parse(report.wire_type(), report.model_dump(mode="json"))
    assert stored == report
    [claim] = run(register(petitioners=[person("p-1")]))
    assert claim.public_data()["petitioner_ids"] == ["p-1"]


def test_reclassifying_is_an_event_with_a_sealed_reason() -> None:
    events = run(register(), reclassify(MatterKind.SUGGESTION, at(2024, 3, 2)))
    change = events[-1]
    assert isinstance(change, PetitionReclassified)
    assert (change.from_kind, change.to_kind) == (MatterKind.CLAIM, MatterKind.SUGGESTION)
    assert "reason" not in change.public_data() and change.public_data()["clerk_id"] == CLERK
    state = current_state(events)
    assert state.matter_kind is MatterKind.SUGGESTION and state.stage is Stage.REGISTERED


def test_reclassifying_as_a_report_transfers_it() -> None:
    events = run(register(matter_kind=MatterKind.SUGGESTION), reclassify(MatterKind.REPORT))
    assert [type(e) for e in events[-2:]] == [PetitionReclassified,
                                             PetitionTransferredToDisciplineInspection]
    assert current_state(events).stage is Stage.TRANSFERRED


def test_reclassifying_needs_another_kind_and_no_unit_acceptance() -> None:
    refused(run(register()), reclassify(MatterKind.CLAIM), "reclassify-to-another-kind")
    accepted = run(register(), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT))
    refused(accepted, reclassify(MatterKind.SUGGESTION), "reclassify-before-unit-acceptance")
    refused(accepted, reclassify(MatterKind.REPORT), "reclassify-before-unit-acceptance")


def test_only_a_claim_is_guided_to_a_legal_channel() -> None:
    suggestion = run(register(matter_kind=MatterKind.SUGGESTION))
    refused(suggestion, NotAcceptPetition(**stamp(T0), reason=NotAcceptedReason.LITIGATION,
                                          explanation=""), "legal-channel-only-for-claims")
    events = run(NotAcceptPetition(**stamp(T0), reason=NotAcceptedReason.NOT_A_PETITION,
                                   explanation=""), history=suggestion)
    assert current_state(events).stage is Stage.NOT_ACCEPTED
    guided = current_state(run(register(), NotAcceptPetition(
        **stamp(T0), reason=NotAcceptedReason.ARBITRATION, explanation="")))
    assert guided.guided_to == "arbitration commission"


def test_the_kind_decides_how_the_answer_reads() -> None:
    def accepted(kind: MatterKind):  # type: ignore[no-untyped-def]
        return run(register(matter_kind=kind), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT))

    def answer(outcome: AnswerOutcome) -> AnswerPetition:
        return AnswerPetition(**stamp(T0), unit_id=UNIT, outcome=outcome, summary="...")

    for outcome in (AnswerOutcome.ADOPTED, AnswerOutcome.PARTLY_ADOPTED,
                    AnswerOutcome.NOT_ADOPTED):
        refused(accepted(MatterKind.CLAIM), answer(outcome),
                "adoption-outcomes-for-suggestions-only")
        assert current_state(run(answer(outcome),
                                 history=accepted(MatterKind.SUGGESTION))).answer is outcome
    for outcome in (AnswerOutcome.SUPPORT, AnswerOutcome.EXPLAIN, AnswerOutcome.NOT_SUPPORT):
        refused(accepted(MatterKind.SUGGESTION), answer(outcome),
                "merits-outcomes-for-claims-only")
        assert current_state(run(answer(outcome),
                                 history=accepted(MatterKind.CLAIM))).answer is outcome
