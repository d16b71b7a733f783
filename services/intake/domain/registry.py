"""Every petition event, as a type for ``evolve`` and ``decide`` and by wire type for parsing."""

from __future__ import annotations

from typing import get_args

from casebus.domain.events import EventRegistry
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
    PetitionClosed,
    PetitionerErased,
    PetitionMergedAsRepeat,
    PetitionNotAccepted,
    PetitionReceived,
    PetitionReclassified,
    PetitionRegistered,
    PetitionRegisteredV1,
    PetitionTransferredToDisciplineInspection,
    PetitionUnmerged,
    PetitionWithdrawn,
    RepeatSuggested,
    RepeatSuggestionConfirmed,
    RepeatSuggestionRejected,
)
from services.intake.domain.reception_days import RECEPTION_DAY_EVENTS
from services.intake.domain.service_work import SERVICE_WORK_EVENTS

PetitionEvent = (
    PetitionReceived | PetitionRegistered | PetitionNotAccepted | RepeatSuggested
    | RepeatSuggestionConfirmed | RepeatSuggestionRejected | PetitionMergedAsRepeat
    | PetitionUnmerged | UnitAcceptanceRecorded | PetitionAnswered | AnswerDelivered
    | PetitionEvaluated | EvaluationLapsed | ReviewRequested | ReviewDecided
    | ReviewDecisionDelivered | ReexaminationRequested | ReexaminationDecided | PetitionClosed
    | PetitionWithdrawn | PetitionReclassified | PetitionTransferredToDisciplineInspection
    | HearingStarted | HearingEnded
)

# A petitioner's erasure is on a stream of its own (``events.petitioner_stream``).
# Reception days and service work are on streams of their own, outside any case.
PETITION_EVENTS = EventRegistry(*get_args(PetitionEvent), PetitionRegisteredV1, PetitionerErased,
                                *RECEPTION_DAY_EVENTS, *SERVICE_WORK_EVENTS)
