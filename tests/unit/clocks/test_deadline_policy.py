"""A district's limits: the law's by default, tighter per category, never looser than the law."""

from __future__ import annotations

import pytest

from casebus.domain.deadlines import (
    LAW_LIMITS,
    ClockKind,
    DayCount,
    DeadlinePolicy,
    Limit,
    check_limit_within_law,
)
from casebus.domain.errors import DomainRuleViolation

TEN = Limit(10, DayCount.CALENDAR)
FORTY_FIVE = Limit(45, DayCount.CALENDAR)


def test_law_table_values() -> None:
    assert {k: (v.days, v.count) for k, v in LAW_LIMITS.items()} == {
        ClockKind.REGISTER_AND_FORWARD: (15, DayCount.CALENDAR),
        ClockKind.NOTIFY_ACCEPTANCE: (15, DayCount.CALENDAR),
        ClockKind.RETURN_OUTSIDE_REMIT: (5, DayCount.WORKING),
        ClockKind.HANDLE_AND_ANSWER: (60, DayCount.CALENDAR),
        ClockKind.REQUEST_REVIEW: (30, DayCount.CALENDAR),
        ClockKind.REVIEW_DECISION: (30, DayCount.CALENDAR),
        ClockKind.REQUEST_REEXAMINATION: (30, DayCount.CALENDAR),
        ClockKind.REEXAMINATION_DECISION: (30, DayCount.CALENDAR),
    }


def test_defaults_are_the_law() -> None:
    policy = DeadlinePolicy("beiyuan", {})
    assert policy.limit_for(ClockKind.HANDLE_AND_ANSWER, "gas") == Limit(60, DayCount.CALENDAR)


def test_category_override_beats_district_override_beats_law() -> None:
    policy = DeadlinePolicy("beiyuan", {
        ("gas", ClockKind.HANDLE_AND_ANSWER): TEN,
        (None, ClockKind.HANDLE_AND_ANSWER): FORTY_FIVE,
    })
    assert policy.limit_for(ClockKind.HANDLE_AND_ANSWER, "gas") == TEN
    assert policy.limit_for(ClockKind.HANDLE_AND_ANSWER, "parking") == FORTY_FIVE
    assert policy.limit_for(ClockKind.HANDLE_AND_ANSWER) == FORTY_FIVE
    assert policy.limit_for(ClockKind.REQUEST_REVIEW, "gas") == Limit(30, DayCount.CALENDAR)


@pytest.mark.parametrize("limit", [
    Limit(61, DayCount.CALENDAR),  # longer than the law
    Limit(40, DayCount.WORKING),  # counted differently: could outlast 60 calendar days
])
def test_override_beyond_the_law_is_refused(limit: Limit) -> None:
    with pytest.raises(DomainRuleViolation) as refused:
        DeadlinePolicy("beiyuan", {("gas", ClockKind.HANDLE_AND_ANSWER): limit})
    assert refused.value.rule == "limit-within-law"


def test_working_day_clock_cannot_become_calendar_days() -> None:
    with pytest.raises(DomainRuleViolation, match="limit-within-law"):
        check_limit_within_law(ClockKind.RETURN_OUTSIDE_REMIT, Limit(5, DayCount.CALENDAR))
    check_limit_within_law(ClockKind.RETURN_OUTSIDE_REMIT, Limit(3, DayCount.WORKING))


def test_supervision_has_no_default_but_any_override() -> None:
    with pytest.raises(DomainRuleViolation) as refused:
        DeadlinePolicy("beiyuan", {}).limit_for(ClockKind.SUPERVISION)
    assert refused.value.rule == "supervision-deadline-set-by-order"
    ninety = Limit(90, DayCount.CALENDAR)
    policy = DeadlinePolicy("beiyuan", {(None, ClockKind.SUPERVISION): ninety})
    assert policy.limit_for(ClockKind.SUPERVISION, "gas") == ninety


def test_limit_is_at_least_a_day_and_warning_lead_not_negative() -> None:
    with pytest.raises(ValueError):
        Limit(0, DayCount.CALENDAR)
    with pytest.raises(ValueError):
        DeadlinePolicy("beiyuan", {}, warn_working_days=-1)


def test_a_district_warns_three_working_days_ahead_unless_it_says_otherwise() -> None:
    assert DeadlinePolicy("beiyuan").warn_working_days == 3
    assert DeadlinePolicy("beiyuan", warn_working_days=5).warn_working_days == 5
