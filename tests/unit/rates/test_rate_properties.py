"""Properties every rate keeps, on generated case records."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from casebus.domain.case_record import CaseRecord
from casebus.domain.evaluation import Satisfaction
from casebus.domain.measured_rate import RateKind, count_cohort, measure_cohort
from casebus.domain.rates import measure
from casebus.domain.reporting_period import ReportingPeriod
from casebus.domain.settled_cases import settled_window
from tests.unit.rates.street_month import BEIYUAN, LOCAL, case

START = datetime(2024, 3, 1, tzinfo=LOCAL)
moments = st.one_of(st.none(), st.integers(0, 90 * 24).map(lambda h: START + timedelta(hours=h)))
evaluations = st.one_of(st.none(), st.sampled_from(list(Satisfaction)))


@st.composite
def records(draw: st.DrawFn) -> list[CaseRecord]:
    n = draw(st.integers(0, 12))
    return [case(f"C{i:02}", draw(moments) or START, acceptance_due=draw(moments),
                 accepted_at=draw(moments), answer_due=draw(moments), answered_at=draw(moments),
                 closed_at=draw(moments), is_repeat=draw(st.booleans()),
                 escalated=draw(st.booleans()), review_requested=draw(st.booleans()),
                 unit_evaluation=draw(evaluations), office_evaluation=draw(evaluations))
            for i in range(n)]


@settings(max_examples=150, deadline=None)
@given(records(), st.integers(1, 89 * 24))
def test_consecutive_periods_count_each_case_at_most_once(cases, split_hours) -> None:
    split = START + timedelta(hours=split_hours)
    whole = ReportingPeriod(START, START + timedelta(days=91))
    first, second = ReportingPeriod(whole.start, split), ReportingPeriod(split, whole.end)
    for kind in RateKind:
        a, b = (measure(kind, cases, p, BEIYUAN) for p in (first, second))
        total = measure(kind, cases, whole, BEIYUAN)
        assert not set(a.denominator_case_ids) & set(b.denominator_case_ids)
        assert a.denominator + b.denominator == total.denominator
        assert a.numerator + b.numerator == total.numerator


@settings(max_examples=150, deadline=None)
@given(records())
def test_a_rate_is_a_share_of_its_own_cases(cases) -> None:
    period = ReportingPeriod(START, START + timedelta(days=91))
    for kind in RateKind:
        rate = measure(kind, cases, period, BEIYUAN)
        assert set(rate.numerator_case_ids) <= set(rate.denominator_case_ids)
        assert rate.denominator == len(rate.denominator_case_ids)
        assert rate.value is None or 0 <= rate.value <= 1
        assert (rate.value is None) == (rate.denominator == 0)


@settings(max_examples=150, deadline=None)
@given(records(), st.integers(0, 89 * 24), st.integers(1, 30 * 24))
def test_records_whose_window_misses_the_period_change_no_rate(cases, start_hours,
                                                                 hours) -> None:
    """What lets reporting read only the records whose settled window overlaps the period."""
    start = START + timedelta(hours=start_hours)
    period = ReportingPeriod(start, start + timedelta(hours=hours))
    overlapping = [r for r in cases
                   if settled_window(r)[0] < period.end and settled_window(r)[1] >= period.start]
    for kind in RateKind:
        assert measure(kind, overlapping, period, BEIYUAN) == measure(kind, cases, period,
                                                                      BEIYUAN)


worths = st.builds(Fraction, st.integers(0, 10), st.just(10)) | st.sampled_from(
    [Fraction(0), Fraction(1), Fraction(9, 10), Fraction(1, 3)])


@settings(max_examples=150, deadline=None)
@given(st.lists(worths, max_size=12))
def test_a_cohort_counts_each_case_at_its_own_worth(each) -> None:
    """``measure_cohort`` sums per distinct worth, not per case: the same sum and the same cases
    as adding each case's worth one at a time."""
    cohort = [case(f"C{i:02}", START) for i in range(len(each))]
    worth = dict(zip((r.case_id for r in cohort), each, strict=True))
    rate = measure_cohort(RateKind.UNIT_SATISFACTION, reversed(cohort), lambda r: worth[r.case_id])
    assert rate.numerator == sum(each, Fraction(0))
    assert rate.denominator_case_ids == tuple(sorted(worth))
    assert rate.numerator_case_ids == tuple(c for c in sorted(worth) if worth[c] > 0)
    assert rate.partly_counted_case_ids == tuple(c for c in sorted(worth) if 0 < worth[c] < 1)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.booleans(), max_size=12))
def test_counting_a_cohort_is_weighing_it_by_zero_and_one(counted) -> None:
    """``count_cohort`` (the counting rates, no Fraction per case) gives what weighing each case
    at 1 or 0 gives, over a cohort in case-id order."""
    cohort = [case(f"C{i:02}", START) for i in range(len(counted))]
    yes = dict(zip((r.case_id for r in cohort), counted, strict=True))
    assert count_cohort(RateKind.REPEAT, cohort, lambda r: yes[r.case_id]) == measure_cohort(
        RateKind.REPEAT, cohort, lambda r: Fraction(int(yes[r.case_id])))
