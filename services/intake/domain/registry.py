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
    PetitionTransferredToDisciplineInspection,
    PetitionUnmerged,
    PetitionWithdrawn,
    RepeatSuggested,
    RepeatSuggestionConfirmed,
    RepeatSuggestionRejected,
)

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
PETITION_EVENTS = EventRegistry(*get_args(PetitionEvent), PetitionerErased)
