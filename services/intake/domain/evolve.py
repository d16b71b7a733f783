"""``evolve``: apply one stored event to a petition's state. Never refuses: decide already did."""

from __future__ import annotations

from dataclasses import replace

from casebus.domain.events import DomainEvent
from services.intake.domain.answer_events import (
    AnswerDelivered,
    EvaluationLapsed,
    HearingEnded,
    HearingStarted,
    PetitionAnswered,
    PetitionEvaluated,
    ReexaminationDecided,
    ReexaminationRequested,
    ReviewDecided,
    ReviewDecisionDelivered,
    ReviewRequested,
    UnitAcceptanceRecorded,
)
from services.intake.domain.events import (
    CaseEvent,
    PetitionClosed,
    PetitionMergedAsRepeat,
    PetitionNotAccepted,
    PetitionReceived,
    PetitionReclassified,
    PetitionTransferredToDisciplineInspection,
    PetitionUnmerged,
    PetitionWithdrawn,
    Registration,
    RepeatSuggested,
    RepeatSuggestionConfirmed,
    RepeatSuggestionRejected,
)
from services.intake.domain.state import PetitionState, Stage


def evolve(state: PetitionState, event: DomainEvent) -> PetitionState:
    if not isinstance(event, CaseEvent):
        raise TypeError(f"not a petition event: {type(event).__name__}")
    last = event.occurred_at if state.last_at is None else max(state.last_at, event.occurred_at)
    state = replace(state, case_id=event.case_id, district=event.district, last_at=last)
    match event:
        case PetitionReceived():
            return replace(state, stage=Stage.RECEIVED, received_at=event.occurred_at,
                           channel=event.channel)
        case Registration():  # either version
            return replace(
                state, stage=Stage.REGISTERED, received_at=event.received_at,
                registered_at=event.occurred_at, channel=event.channel, level=event.level,
                category=event.category, community=event.community, location=event.location,
                subject=event.subject, petitioner_ids=tuple(event.petitioner_ids),
                petitioner_count=event.petitioner_count, collective=event.collective,
                skip_level=event.skip_level, key_person=event.key_person,
                key_period=event.key_period, matter_kind=event.matter_kind,
            )
        case PetitionReclassified():
            return replace(state, matter_kind=event.to_kind)
        case PetitionTransferredToDisciplineInspection():
            return replace(state, stage=Stage.TRANSFERRED, transferred_to=event.body)
        case PetitionNotAccepted():
            return replace(state, stage=Stage.NOT_ACCEPTED, not_accepted_reason=event.reason,
                           guided_to=event.guided_to)
        case RepeatSuggested():
            return replace(state, pending_repeat_of=event.repeat_of)
        case RepeatSuggestionConfirmed():
            return replace(state, pending_repeat_of=None, repeat_of=event.repeat_of)
        case RepeatSuggestionRejected():
            return replace(state, pending_repeat_of=None,
                           rejected_repeats=state.rejected_repeats | {event.rejected_case_id})
        case PetitionMergedAsRepeat():
            return replace(state, stage=Stage.MERGED, merged_into=event.into_case_id,
                           repeat_of=event.into_case_id)
        case PetitionUnmerged():
            # An un-merge says the merge was a mistake: the petition is not a repeat after all.
            return replace(state, stage=Stage.REGISTERED, merged_into=None, repeat_of=None)
        case UnitAcceptanceRecorded():
            return replace(state, accepting_unit=event.unit_id,
                           accepted_by=(*state.accepted_by, event.unit_id))
        case PetitionAnswered():
            return replace(state, answer=event.outcome, answered_by=event.unit_id)
        case AnswerDelivered():
            return replace(state, answer_delivered_at=event.occurred_at)
        case PetitionEvaluated():
            return replace(state,
                           evaluations=(*state.evaluations, (event.evaluator, event.satisfaction)))
        case EvaluationLapsed():
            return replace(state, evaluation_lapsed=True)
        case ReviewRequested():
            return replace(state, review_requested_at=event.occurred_at)
        case ReviewDecided():
            return replace(state, review_outcome=event.outcome)
        case ReviewDecisionDelivered():
            return replace(state, review_delivered_at=event.occurred_at)
        case ReexaminationRequested():
            return replace(state, reexamination_requested_at=event.occurred_at)
        case HearingStarted():
            return replace(state, hearing_started_at=event.occurred_at)
        case HearingEnded():
            return replace(state, hearing_started_at=None, hearings_held=state.hearings_held + 1)
        case ReexaminationDecided():
            return replace(state, reexamination_outcome=event.outcome)
        case PetitionClosed():
            return replace(state, stage=Stage.CLOSED)
        case PetitionWithdrawn():
            return replace(state, stage=Stage.WITHDRAWN)
    raise TypeError(f"not a petition event: {type(event).__name__}")
