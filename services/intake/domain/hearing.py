"""Hearings (听证) of a re-examination: the time they take is not counted (Art. 36), so each
start and end is an event the re-examination decision clock pauses and resumes on."""

from __future__ import annotations

from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.answer_commands import EndHearing, StartHearing
from services.intake.domain.answer_events import HearingEnded, HearingStarted
from services.intake.domain.state import PetitionState


def start_hearing(state: PetitionState, command: StartHearing) -> list[HearingStarted]:
    if not state.reexamination_pending:
        raise DomainRuleViolation(
            "hearing-during-pending-reexamination",
            "a hearing is held only while a re-examination is requested and undecided",
        )
    if state.hearing_started_at is not None:
        raise DomainRuleViolation(
            "one-hearing-at-a-time",
            f"a hearing is in progress since {state.hearing_started_at.isoformat()}",
        )
    return [HearingStarted(**command.stamp(), clerk_id=command.clerk_id)]


def end_hearing(state: PetitionState, command: EndHearing) -> list[HearingEnded]:
    if state.hearing_started_at is None:
        raise DomainRuleViolation("no-hearing-in-progress", "no hearing is in progress")
    return [HearingEnded(**command.stamp(), clerk_id=command.clerk_id)]
