"""Edge cases of each rate: nothing to count, all on time, one late by a minute, and scope;
a period's bounds in any offset."""

from __future__ import annotations

from datetime import timedelta, timezone
from fractions import Fraction

import pytest

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.evaluation import Evaluator
from casebus.domain.measured_rate import RateKind, exact
from casebus.domain.rates import (
    measure,
    on_time_answer,
    satisfaction,
    timely_acceptance,
)
from casebus.domain.reporting_period import ReportingPeriod
from tests.unit.rates.street_month import BEIYUAN, BS, DISTRICT, LOCAL, MARCH, S, case, local

UNIT = Scope(district=DISTRICT, unit_id="gas-company")


@pytest.mark.parametrize("kind", list(RateKind))
def test_no_case_to_count_is_not_applicable_never_zero(kind: RateKind) -> None:
    april_only = [case("A1", local(4, 2), acceptance_due=local(4, 5), accepted_at=local(4, 3),
                       answer_due=local(4, 20), answered_at=local(4, 9), closed_at=local(4, 10),
                       unit_evaluation=S, office_evaluation=S)]
    for records in ([], april_only):
        rate = measure(kind, records, MARCH, BEIYUAN)
        assert (rate.value, rate.percent, rate.denominator) == (None, None, 0)
        assert rate.numerator == 0
        assert rate.denominator_case_ids == ()


def _answered(n: int, late_by: timedelta = timedelta(0)) -> list[CaseRecord]:
    """``n`` cases done one second before their deadlines; the first ``late_by`` later."""
    early = timedelta(seconds=-1)
    return [case(f"C{i}", local(3, 1), acceptance_due=local(3, 10), answer_due=local(3, 20),
                 accepted_at=local(3, 10) + early + (late_by if i == 0 else timedelta(0)),
                 answered_at=local(3, 20) + early + (late_by if i == 0 else timedelta(0)))
            for i in range(n)]


@pytest.mark.parametrize("definition", [timely_acceptance, on_time_answer])
def test_all_on_time_even_a_second_before_the_deadline_is_100_percent(definition) -> None:
    rate = definition(_answered(4), MARCH, BEIYUAN)
    assert (rate.value, rate.missing_case_ids) == (Fraction(1), ())


@pytest.mark.parametrize("definition", [timely_acceptance, on_time_answer])
def test_done_at_the_deadline_instant_is_late(definition) -> None:
    # The deadline is the instant the period expired, as the clocks count it.
    rate = definition(_answered(4, late_by=timedelta(seconds=1)), MARCH, BEIYUAN)
    assert rate.value == Fraction(3, 4)


@pytest.mark.parametrize("definition", [timely_acceptance, on_time_answer])
def test_one_minute_late_is_late(definition) -> None:
    rate = definition(_answered(4, late_by=timedelta(minutes=1)), MARCH, BEIYUAN)
    assert (rate.value, rate.missing_case_ids) == (Fraction(3, 4), ("C0",))


def test_late_case_counts_in_the_period_its_deadline_fell_in_not_when_done() -> None:
    late = [case("L", local(3, 1), answer_due=local(3, 31, 23, 59), answered_at=local(4, 1, 0, 1))]
    april = ReportingPeriod.month(2024, 4, LOCAL)
    assert on_time_answer(late, MARCH, BEIYUAN).missing_case_ids == ("L",)
    assert on_time_answer(late, april, BEIYUAN).denominator == 0


def test_satisfaction_weight_is_configurable_and_bounded() -> None:
    records = [case("A", local(3, 1), answered_at=local(3, 2), closed_at=local(3, 3),
                    unit_evaluation=S),
               case("B", local(3, 1), answered_at=local(3, 2), closed_at=local(3, 3),
                    unit_evaluation=BS)]
    full = satisfaction(records, MARCH, BEIYUAN, basically_satisfied_weight=Fraction(1))
    none = satisfaction(records, MARCH, BEIYUAN, basically_satisfied_weight=Fraction(0))
    assert (full.value, none.value) == (Fraction(1), Fraction(1, 2))
    assert none.missing_case_ids == ("B",)
    with pytest.raises(ValueError, match=r"0\.\.1"):
        satisfaction(records, MARCH, BEIYUAN, basically_satisfied_weight=Fraction(11, 10))


def test_office_evaluation_alone_does_not_enter_unit_satisfaction() -> None:
    records = [case("A", local(3, 1), answered_at=local(3, 2), closed_at=local(3, 3),
                    office_evaluation=S)]
    assert satisfaction(records, MARCH, BEIYUAN, Evaluator.RESPONSIBLE_UNIT).value is None
    assert satisfaction(records, MARCH, BEIYUAN, Evaluator.PETITION_OFFICE).value == 1


def test_scope_narrows_to_a_unit_and_never_crosses_districts() -> None:
    records = [*_answered(2),
               case("U", local(3, 1), unit_id="housing", answer_due=local(3, 20),
                    answered_at=local(3, 25)),
               case("H", local(3, 1), district="haidian", answer_due=local(3, 20),
                    answered_at=local(3, 25))]
    assert on_time_answer(records, MARCH, UNIT).denominator_case_ids == ("C0", "C1")
    assert on_time_answer(records, MARCH, Scope(district=DISTRICT)).denominator == 3


def test_two_records_for_one_case_are_refused() -> None:
    with pytest.raises(ValueError, match="one case"):
        timely_acceptance(_answered(1) * 2, MARCH, BEIYUAN)


def test_naive_times_and_empty_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        case("N", local(3, 1).replace(tzinfo=None))
    with pytest.raises(ValueError, match="before it starts"):
        ReportingPeriod(MARCH.end, MARCH.start)


def test_configured_decimals_are_exact() -> None:
    assert exact(0.35) == Fraction(35, 100)
    assert exact(0.3) + exact(0.35) + exact(0.35) == 1


@pytest.mark.parametrize("offset_hours", [0, 8, -5])
def test_a_local_month_holds_its_instants_whatever_their_offset(offset_hours: int) -> None:
    """A month in the district's time starts and ends at the same instants in any offset: its
    first instant is in it, its end is not, the instant before its end is."""
    there = timezone(timedelta(hours=offset_hours))
    assert MARCH.contains(MARCH.start.astimezone(there))
    assert not MARCH.contains(MARCH.end.astimezone(there))
    assert MARCH.contains((MARCH.end - timedelta(microseconds=1)).astimezone(there))
    assert not MARCH.contains((MARCH.start - timedelta(microseconds=1)).astimezone(there))
