from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casebus.domain.deadlines import ClockKind, DayCount, DeadlinePolicy, Limit
from casebus.domain.errors import DomainRuleViolation
from services.intake.domain import IntakeRules, current_state
from services.intake.domain.commands import (
    AnswerPetition,
    DecideReexamination,
    DecideReview,
    DeliverAnswer,
    DeliverReviewDecision,
    RecordUnitAcceptance,
    RequestReexamination,
    RequestReview,
)
from services.intake.domain.events import CaseEvent
from services.intake.domain.facts import AnswerOutcome, ReviewOutcome

from .scenario import (
    NATIONAL_DAY,
    RULES,
    T0,
    UNIT,
    at,
    delivered,
    refused,
    register,
    run,
    stamp,
)


def ask(when: datetime) -> RequestReview:
    return RequestReview(**stamp(when), reason="the answer ignores the 2015 contract")


def decide_review(when: datetime) -> DecideReview:
    return DecideReview(**stamp(when), reviewing_body="district petition bureau",
                        outcome=ReviewOutcome.UPHELD, summary="upheld")


@pytest.mark.parametrize(("delivered_on", "last_day", "first_late_day"), [
    (at(2024, 3, 4), at(2024, 4, 3, 23, 59), at(2024, 4, 4, 0, 0)),  # day 30 is a Wednesday
    (at(2024, 3, 7), at(2024, 4, 8, 23, 59), at(2024, 4, 9, 0, 0)),  # day 30 a Saturday
    (at(2024, 9, 1), at(2024, 10, 8, 23, 59), at(2024, 10, 9, 0, 0)),  # day 30 on National Day
    (at(2024, 8, 30), at(2024, 9, 29, 23, 59), at(2024, 9, 30, 0, 0)),  # a make-up working day
])
def test_review_may_be_requested_within_30_days_of_delivery(
    delivered_on: datetime, last_day: datetime, first_late_day: datetime
) -> None:
    history = delivered(delivered_on)
    events = run(ask(last_day), history=history)
    assert current_state(events).review_requested_at == last_day
    refused(history, ask(first_late_day), "review-within-30-days")


def test_the_window_is_counted_in_the_districts_local_days() -> None:
    history = delivered(at(2024, 3, 4, 23, 30))  # 15:30 UTC
    run(ask(datetime(2024, 4, 3, 15, 59, tzinfo=UTC)), history=history)  # 23:59 local
    refused(history, ask(datetime(2024, 4, 3, 16, 1, tzinfo=UTC)), "review-within-30-days")


def test_the_district_calendar_decides_the_roll_forward() -> None:
    weekends_only = IntakeRules.law_defaults("beiyuan")
    history = delivered(at(2024, 9, 1), rules=weekends_only)
    refused(history, ask(at(2024, 10, 2)), "review-within-30-days", rules=weekends_only)
    run(ask(at(2024, 10, 2)), history=history, rules=RULES)


def test_a_district_may_shorten_the_window_per_category_but_not_lengthen_it() -> None:
    policy = DeadlinePolicy(district="beiyuan", overrides={
        ("gas", ClockKind.REQUEST_REVIEW): Limit(15, DayCount.CALENDAR)})
    fifteen = IntakeRules(calendar=NATIONAL_DAY, deadlines=policy)
    history = delivered(at(2024, 3, 4), rules=fifteen)  # a "gas" case
    run(ask(at(2024, 3, 19)), history=history, rules=fifteen)
    refused(history, ask(at(2024, 3, 20)), "review-within-30-days", rules=fifteen)
    other = run(register(category="property"), RecordUnitAcceptance(**stamp(T0), unit_id=UNIT),
                AnswerPetition(**stamp(T0), unit_id=UNIT, outcome=AnswerOutcome.EXPLAIN,
                               summary=""),
                DeliverAnswer(**stamp(at(2024, 3, 4))), rules=fifteen)
    run(ask(at(2024, 4, 3)), history=other, rules=fifteen)  # the law's 30 days still apply
    with pytest.raises(DomainRuleViolation) as refusal:
        DeadlinePolicy(district="beiyuan", overrides={
            (None, ClockKind.REQUEST_REVIEW): Limit(31, DayCount.CALENDAR)})
    assert refusal.value.rule == "limit-within-law"


def test_review_needs_a_delivered_answer_and_is_requested_once() -> None:
    refused(run(register()), ask(T0), "review-requires-delivered-answer")
    requested = run(ask(at(2024, 3, 10)), history=delivered(at(2024, 3, 4)))
    refused(requested, ask(at(2024, 3, 11)), "review-already-requested")


def review_delivered(on: datetime) -> list[CaseEvent]:
    return run(ask(at(2024, 3, 10)), decide_review(at(2024, 3, 20)),
               DeliverReviewDecision(**stamp(on)), history=delivered(at(2024, 3, 4)))


def test_review_is_decided_then_delivered_once_each() -> None:
    history = delivered(at(2024, 3, 4))
    refused(history, decide_review(at(2024, 3, 5)), "review-not-requested")
    requested = run(ask(at(2024, 3, 10)), history=history)
    refused(requested, DeliverReviewDecision(**stamp(at(2024, 3, 11))),
            "review-decision-not-made")
    decided = run(decide_review(at(2024, 3, 20)), history=requested)
    assert current_state(decided).review_outcome is ReviewOutcome.UPHELD
    refused(decided, decide_review(at(2024, 3, 21)), "review-already-decided")
    done = run(DeliverReviewDecision(**stamp(at(2024, 3, 22))), history=decided)
    refused(done, DeliverReviewDecision(**stamp(at(2024, 3, 23))),
            "review-decision-already-delivered")


def reexamine(when: datetime) -> RequestReexamination:
    return RequestReexamination(**stamp(when), reason="the review ignored new evidence")


def test_reexamination_within_30_days_of_the_review_decisions_delivery() -> None:
    history = review_delivered(at(2024, 3, 22))  # day 30 is Sunday 21 April -> Monday 22
    run(reexamine(at(2024, 4, 22, 23, 59)), history=history)
    refused(history, reexamine(at(2024, 4, 23, 0, 0)), "reexamination-within-30-days")


def test_reexamination_needs_a_delivered_review_decision() -> None:
    decided = run(ask(at(2024, 3, 10)), decide_review(at(2024, 3, 20)),
                  history=delivered(at(2024, 3, 4)))
    refused(decided, reexamine(at(2024, 3, 21)),
            "reexamination-requires-delivered-review-decision")


def test_reexamination_is_requested_and_decided_once() -> None:
    decide = DecideReexamination(**stamp(at(2024, 4, 20)), reexamining_body="city bureau",
                                 outcome=ReviewOutcome.REVISED, summary="re-issue certificates")
    history = review_delivered(at(2024, 3, 22))
    refused(history, decide, "reexamination-not-requested")
    requested = run(reexamine(at(2024, 4, 1)), history=history)
    refused(requested, reexamine(at(2024, 4, 2)), "reexamination-already-requested")
    decided = run(decide, history=requested)
    assert current_state(decided).reexamination_outcome is ReviewOutcome.REVISED
    refused(decided, decide, "reexamination-already-decided")
