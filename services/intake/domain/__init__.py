"""Intake's domain: the petition, from receipt to closing, as a pure decider."""

from services.intake.domain.petition import current_state, decide, evolve, initial_state
from services.intake.domain.state import PetitionState, Stage
from services.intake.domain.windows import IntakeRules

__all__ = ["IntakeRules", "PetitionState", "Stage", "current_state", "decide", "evolve",
           "initial_state"]
