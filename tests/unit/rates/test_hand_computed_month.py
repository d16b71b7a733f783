"""Beiyuan street, March 2024, recomputed by hand (the cases are in street_month.py).

The hand computation, rate by rate ("settled" = done on time, or else its deadline passed):

Timely acceptance (acceptance settled in March):
  C01 3-04 ok, C02 due 3-17 17:00 accepted 17:01 LATE, C03 ok, C04 ok, C05 never accepted,
  due 3-23 LATE, C06 ok, C07 ok, C09 ok (accepted 3-26, due in April), C11 ok, C12 ok;
  out: C08 (due in April, not accepted yet), C10 (settled in February).     8 / 10 = 80%
On-time answer (answer settled in March):
  C01, C02, C03, C06, C07 ok; C10 due 3-12, answered 4-02 LATE (counts in March);
  C11 answered a minute before its deadline ok; C12 ok;
  out: C04, C09 (due in May, not answered), C05, C08 (not accepted).          7 / 8 = 87.5%
First-visit resolution (answered in March: C01 C02 C03 C06 C07 C11 C12):
  C02 review requested, C03 repeat, C06 escalated, C11 repeat -> C01 C07 C12. 3 / 7
Registered in March: C01-C09, C11, C12 = 11 (C10 was registered in February).
  repeat C03 C11: 2 / 11; collective C04: 1 / 11; skip-level C06: 1 / 11
Satisfaction participation (answered and closed in March: C01 C03 C06 C07 C11;
  C12 closed in April, C02 not closed): C07 not evaluated.                    4 / 5 = 80%
Unit satisfaction (of C01 C03 C06 C11, all evaluated the unit):
  S + BS + NS + S = 1 + 0.9 + 0 + 1 = 2.9                                  2.9 / 4 = 72.5%
Office satisfaction: S + NS + NS + BS = 1 + 0 + 0 + 0.9 = 1.9               1.9 / 4 = 47.5%
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from casebus.domain.evaluation import Evaluator
from casebus.domain.measured_rate import RateKind
from casebus.domain.rates import (
    collective,
    evaluation_participation,
    first_visit_resolution,
    measure,
    on_time_answer,
    repeat,
    satisfaction,
    skip_level,
    timely_acceptance,
)
from tests.unit.rates.street_month import BEIYUAN, DECOYS, MARCH, STREET_MONTH

RECORDS = STREET_MONTH + DECOYS
REGISTERED = ("C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C11", "C12")
CLOSED_AFTER_ANSWER = ("C01", "C03", "C06", "C07", "C11")


def test_timely_acceptance() -> None:
    rate = timely_acceptance(RECORDS, MARCH, BEIYUAN)
    assert (rate.numerator, rate.denominator, rate.value) == (Fraction(8), 10, Fraction(4, 5))
    assert rate.denominator_case_ids == ("C01", "C02", "C03", "C04", "C05", "C06", "C07",
                                         "C09", "C11", "C12")
    assert rate.missing_case_ids == ("C02", "C05")


def test_on_time_answer() -> None:
    rate = on_time_answer(RECORDS, MARCH, BEIYUAN)
    assert (rate.numerator, rate.denominator, rate.percent) == (Fraction(7), 8, Fraction(175, 2))
    assert rate.denominator_case_ids == ("C01", "C02", "C03", "C06", "C07", "C10", "C11", "C12")
    assert rate.missing_case_ids == ("C10",)


def test_first_visit_resolution() -> None:
    rate = first_visit_resolution(RECORDS, MARCH, BEIYUAN)
    assert rate.value == Fraction(3, 7)
    assert rate.numerator_case_ids == ("C01", "C07", "C12")
    assert rate.missing_case_ids == ("C02", "C03", "C06", "C11")


@pytest.mark.parametrize(("definition", "counted"), [
    (repeat, ("C03", "C11")), (collective, ("C04",)), (skip_level, ("C06",))])
def test_three_visits_over_cases_registered_in_march(definition, counted) -> None:
    rate = definition(RECORDS, MARCH, BEIYUAN)
    assert rate.denominator_case_ids == REGISTERED
    assert rate.numerator_case_ids == counted
    assert rate.value == Fraction(len(counted), 11)


def test_evaluation_participation() -> None:
    rate = evaluation_participation(RECORDS, MARCH, BEIYUAN)
    assert rate.denominator_case_ids == CLOSED_AFTER_ANSWER
    assert (rate.value, rate.missing_case_ids) == (Fraction(4, 5), ("C07",))


def test_unit_satisfaction_weighs_basically_satisfied_at_nine_tenths() -> None:
    rate = satisfaction(RECORDS, MARCH, BEIYUAN, Evaluator.RESPONSIBLE_UNIT)
    assert (rate.numerator, rate.denominator) == (Fraction(29, 10), 4)
    assert rate.percent == Fraction(145, 2)  # 72.5%
    assert rate.missing_case_ids == ("C06",)
    assert rate.shortfall_case_ids == ("C03", "C06")


def test_office_satisfaction() -> None:
    rate = satisfaction(RECORDS, MARCH, BEIYUAN, Evaluator.PETITION_OFFICE)
    assert rate.kind is RateKind.OFFICE_SATISFACTION
    assert rate.percent == Fraction(95, 2)  # 47.5%


def test_measure_by_kind_gives_the_same_numbers_every_time_and_in_any_order() -> None:
    for kind in RateKind:
        first = measure(kind, RECORDS, MARCH, BEIYUAN)
        assert measure(kind, list(reversed(RECORDS)), MARCH, BEIYUAN) == first
