"""Closing and withdrawing a petition: after either, nothing more happens to it.

A case closes only when its answer is final: delivered, evaluated (or the window lapsed), and no
remedy is pending or still open to the petitioner. Closing earlier would cut off a review the
law grants (Art. 35, 36), since nothing is accepted after closing.
"""

from __future__ import annotations

from datetime import datetime

from casebus.domain.deadlines import ClockKind
from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.commands import ClosePetition, WithdrawPetition
from services.intake.domain.events import PetitionClosed, PetitionWithdrawn
from services.intake.domain.facts import MatterKind
from services.intake.domain.state import PetitionState
from services.intake.domain.windows import IntakeRules


def _check_answer_final(state: PetitionState, delivered_at: datetime, at: datetime,
                        rules: IntakeRules) -> None:
    if state.review_requested_at is None:
        limit = rules.limit(ClockKind.REQUEST_REVIEW, state.category)
        if rules.within(delivered_at, limit, at):
            raise DomainRuleViolation(
                "close-before-review-window-ends",
                f"a review may be requested until {rules.last_day(delivered_at, limit)}",
            )
        return
    if state.review_delivered_at is None:
        raise DomainRuleViolation("close-while-review-pending", "the review is not concluded")
    if state.reexamination_requested_at is None:
        limit = rules.limit(ClockKind.REQUEST_REEXAMINATION, state.category)
        if rules.within(state.review_delivered_at, limit, at):
            raise DomainRuleViolation(
                "close-before-reexamination-window-ends",
                f"re-examination may be requested until "
                f"{rules.last_day(state.review_delivered_at, limit)}",
            )
        return
    if state.reexamination_outcome is None:
        raise DomainRuleViolation(
            "close-while-reexamination-pending", "the re-examination is not decided"
        )


def close(state: PetitionState, command: ClosePetition, rules: IntakeRules) -> list[PetitionClosed]:
    if state.answer_delivered_at is None:
        raise DomainRuleViolation(
            "close-requires-delivered-answer", "the answer has not been delivered"
        )
    if not state.evaluation_settled:
        raise DomainRuleViolation(
            "close-requires-settled-evaluation", "evaluations are missing and the window is open"
        )
    if state.matter_kind is not MatterKind.SUGGESTION:  # a suggestion has no remedy to wait for
        _check_answer_final(state, state.answer_delivered_at, command.at, rules)
    return [PetitionClosed(**command.stamp())]


def withdraw(state: PetitionState, command: WithdrawPetition) -> list[PetitionWithdrawn]:
    # Any live petition may be withdrawn by its petitioners; the guards in ``decide`` refuse
    # terminal ones.
    return [PetitionWithdrawn(**command.stamp(), reason=command.reason)]
