"""A unit accepts the case (learnt from routing), answers it, and the answer is delivered."""

from __future__ import annotations

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.answer_events import (
    AnswerDelivered,
    PetitionAnswered,
    UnitAcceptanceRecorded,
)
from services.intake.domain.commands import AnswerPetition, DeliverAnswer, RecordUnitAcceptance
from services.intake.domain.facts import MatterKind
from services.intake.domain.state import PetitionState


def record_unit_acceptance(
    state: PetitionState, command: RecordUnitAcceptance
) -> list[UnitAcceptanceRecorded]:
    if state.answered:
        raise DomainRuleViolation("unit-acceptance-after-answer", "the case is already answered")
    if state.accepting_unit == command.unit_id:
        # Routing's events arrive at least once; the same acceptance twice is a duplicate.
        raise DomainRuleViolation(
            "unit-acceptance-already-recorded", f"{command.unit_id} accepted already"
        )
    return [UnitAcceptanceRecorded(**command.stamp(), unit_id=command.unit_id)]


def answer(state: PetitionState, command: AnswerPetition) -> list[PetitionAnswered]:
    if state.answered:
        raise DomainRuleViolation("petition-already-answered", "the case is already answered")
    if state.accepting_unit is None:
        raise DomainRuleViolation(
            "answer-requires-unit-acceptance", "no unit has accepted this case"
        )
    if command.unit_id != state.accepting_unit:
        raise DomainRuleViolation(
            "answer-by-accepting-unit",
            f"{command.unit_id} did not accept the case; {state.accepting_unit} did",
        )
    _check_outcome_fits(state.matter_kind, command)
    return [PetitionAnswered(**command.stamp(), unit_id=command.unit_id,
                             outcome=command.outcome, summary=command.summary)]


def _check_outcome_fits(kind: MatterKind, command: AnswerPetition) -> None:
    """A suggestion is answered on whether it is adopted, a claim on its merits."""
    answers = command.outcome.answers
    if answers is MatterKind.SUGGESTION and kind is not MatterKind.SUGGESTION:
        raise DomainRuleViolation(
            "adoption-outcomes-for-suggestions-only",
            f"a {kind} is not answered {command.outcome.value}",
        )
    if answers is MatterKind.CLAIM and kind is not MatterKind.CLAIM:
        raise DomainRuleViolation(
            "merits-outcomes-for-claims-only",
            f"a {kind} is answered on adoption, not {command.outcome.value}",
        )


def deliver(state: PetitionState, command: DeliverAnswer) -> list[AnswerDelivered]:
    if not state.answered:
        raise DomainRuleViolation("deliver-requires-answer", "there is no answer to deliver")
    if state.answer_delivered_at is not None:
        raise DomainRuleViolation("answer-already-delivered", "the answer was delivered")
    return [AnswerDelivered(**command.stamp())]
