"""Review (复查) and re-examination (复核): the petitioner's remedies against an answer.

Review may be requested within 30 days of the answer's delivery (Art. 35); re-examination within
30 days of the review decision's delivery (Art. 36). The re-examination decision is final.
"""

from __future__ import annotations

from casebus.domain.deadlines import ClockKind
from casebus.domain.errors import DomainRuleViolation
from services.intake.domain.answer_events import (
    ReexaminationDecided,
    ReexaminationRequested,
    ReviewDecided,
    ReviewDecisionDelivered,
    ReviewRequested,
)
from services.intake.domain.commands import (
    DecideReexamination,
    DecideReview,
    DeliverReviewDecision,
    RequestReexamination,
    RequestReview,
)
from services.intake.domain.facts import MatterKind
from services.intake.domain.state import PetitionState
from services.intake.domain.windows import IntakeRules


def _check_reviewable(state: PetitionState) -> None:
    if state.matter_kind is MatterKind.SUGGESTION:
        # A suggestion gets no merits decision, so there is nothing to review (no appeal).
        raise DomainRuleViolation(
            "no-review-for-suggestions", "a suggestion's answer is not reviewed or re-examined"
        )


def request_review(
    state: PetitionState, command: RequestReview, rules: IntakeRules
) -> list[ReviewRequested]:
    _check_reviewable(state)
    delivered_at = state.answer_delivered_at
    if delivered_at is None:
        raise DomainRuleViolation(
            "review-requires-delivered-answer", "the answer has not been delivered"
        )
    if state.review_requested_at is not None:
        raise DomainRuleViolation("review-already-requested", "a review was requested already")
    limit = rules.limit(ClockKind.REQUEST_REVIEW, state.category)
    if not rules.within(delivered_at, limit, command.at):
        raise DomainRuleViolation(
            "review-within-30-days",
            f"the review window ended on {rules.last_day(delivered_at, limit)}",
        )
    return [ReviewRequested(**command.stamp(), reason=command.reason)]


def decide_review(state: PetitionState, command: DecideReview) -> list[ReviewDecided]:
    if state.review_requested_at is None:
        raise DomainRuleViolation("review-not-requested", "no review was requested")
    if state.review_outcome is not None:
        raise DomainRuleViolation("review-already-decided", "the review was decided already")
    return [ReviewDecided(**command.stamp(), reviewing_body=command.reviewing_body,
                          outcome=command.outcome, summary=command.summary)]


def deliver_review_decision(
    state: PetitionState, command: DeliverReviewDecision
) -> list[ReviewDecisionDelivered]:
    if state.review_outcome is None:
        raise DomainRuleViolation("review-decision-not-made", "the review is not decided")
    if state.review_delivered_at is not None:
        raise DomainRuleViolation(
            "review-decision-already-delivered", "the review decision was delivered"
        )
    return [ReviewDecisionDelivered(**command.stamp())]


def request_reexamination(
    state: PetitionState, command: RequestReexamination, rules: IntakeRules
) -> list[ReexaminationRequested]:
    _check_reviewable(state)
    delivered_at = state.review_delivered_at
    if delivered_at is None:
        raise DomainRuleViolation(
            "reexamination-requires-delivered-review-decision",
            "the review decision has not been delivered",
        )
    if state.reexamination_requested_at is not None:
        raise DomainRuleViolation(
            "reexamination-already-requested", "a re-examination was requested already"
        )
    limit = rules.limit(ClockKind.REQUEST_REEXAMINATION, state.category)
    if not rules.within(delivered_at, limit, command.at):
        raise DomainRuleViolation(
            "reexamination-within-30-days",
            f"the re-examination window ended on {rules.last_day(delivered_at, limit)}",
        )
    return [ReexaminationRequested(**command.stamp(), reason=command.reason)]


def decide_reexamination(
    state: PetitionState, command: DecideReexamination
) -> list[ReexaminationDecided]:
    if state.reexamination_requested_at is None:
        raise DomainRuleViolation("reexamination-not-requested", "no re-examination requested")
    if state.reexamination_outcome is not None:
        raise DomainRuleViolation(
            "reexamination-already-decided", "the re-examination was decided already"
        )
    if state.hearing_started_at is not None:
        raise DomainRuleViolation(
            "decide-after-hearing-ends", "end the hearing before deciding the re-examination"
        )
    return [ReexaminationDecided(**command.stamp(), reexamining_body=command.reexamining_body,
                                 outcome=command.outcome, summary=command.summary)]
