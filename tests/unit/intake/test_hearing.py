"""Re-examination hearings: only while a re-examination waits for its decision, one at a time,
and the decision waits for the hearing to end."""

from __future__ import annotations

from datetime import datetime

from services.intake.domain import current_state
from services.intake.domain.answer_events import HearingEnded, HearingStarted
from services.intake.domain.commands import (
    DecideReexamination,
    DecideReview,
    DeliverReviewDecision,
    EndHearing,
    RequestReexamination,
    RequestReview,
    StartHearing,
)
from services.intake.domain.events import CaseEvent
from services.intake.domain.facts import ReviewOutcome

from .scenario import CLERK, at, delivered, refused, run, stamp


def start(when: datetime) -> StartHearing:
    return StartHearing(**stamp(when), clerk_id=CLERK)


def end(when: datetime) -> EndHearing:
    return EndHearing(**stamp(when), clerk_id=CLERK)


def decide(when: datetime) -> DecideReexamination:
    return DecideReexamination(**stamp(when), reexamining_body="district petition bureau",
                               outcome=ReviewOutcome.UPHELD, summary="The answer stands.")


def reviewed() -> list[CaseEvent]:
    return run(
        RequestReview(**stamp(at(2024, 3, 10)), reason="ignores the contract"),
        DecideReview(**stamp(at(2024, 3, 20)), reviewing_body="street office",
                     outcome=ReviewOutcome.UPHELD, summary="Upheld."),
        DeliverReviewDecision(**stamp(at(2024, 3, 21))),
        history=delivered(at(2024, 3, 4)),
    )


def reexamining() -> list[CaseEvent]:
    return run(RequestReexamination(**stamp(at(2024, 3, 25)), reason="still wrong"),
               history=reviewed())


def test_a_hearing_starts_and_ends_during_a_reexamination() -> None:
    events = run(start(at(2024, 4, 1)), history=reexamining())
    assert isinstance(events[-1], HearingStarted) and events[-1].clerk_id == CLERK
    assert current_state(events).hearing_started_at == at(2024, 4, 1)
    events = run(end(at(2024, 4, 3)), decide(at(2024, 4, 8)), history=events)
    assert isinstance(events[-2], HearingEnded)
    state = current_state(events)
    assert state.hearing_started_at is None and state.hearings_held == 1
    assert state.reexamination_outcome is ReviewOutcome.UPHELD


def test_a_hearing_needs_a_pending_reexamination() -> None:
    refused(delivered(at(2024, 3, 4)), start(at(2024, 3, 5)),
            "hearing-during-pending-reexamination")
    refused(reviewed(), start(at(2024, 3, 22)), "hearing-during-pending-reexamination")
    decided = run(decide(at(2024, 4, 8)), history=reexamining())
    refused(decided, start(at(2024, 4, 9)), "hearing-during-pending-reexamination")


def test_one_hearing_at_a_time_and_the_decision_waits_for_it() -> None:
    hearing = run(start(at(2024, 4, 1)), history=reexamining())
    refused(hearing, start(at(2024, 4, 2)), "one-hearing-at-a-time")
    refused(hearing, decide(at(2024, 4, 2)), "decide-after-hearing-ends")
    again = run(end(at(2024, 4, 2)), start(at(2024, 4, 5)), end(at(2024, 4, 6)), history=hearing)
    assert current_state(again).hearings_held == 2


def test_ending_needs_a_hearing_in_progress() -> None:
    refused(reexamining(), end(at(2024, 4, 1)), "no-hearing-in-progress")
    ended = run(start(at(2024, 4, 1)), end(at(2024, 4, 2)), history=reexamining())
    refused(ended, end(at(2024, 4, 3)), "no-hearing-in-progress")
