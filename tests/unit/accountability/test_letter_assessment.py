"""Assessing the gas company's March against its letter (the month of tests/unit/rates)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from casebus.domain.measured_rate import RateKind
from services.accountability.domain.letter_assessment import (
    TargetKind,
    assess_letter,
    measure_letter,
)
from services.accountability.domain.letter_targets import LetterTargets
from tests.unit.accountability.letters import letter
from tests.unit.rates.street_month import BS, DECOYS, MARCH, STREET_MONTH, case, local

# Every March case of the street is the gas company's; X02 is another district's.
RECORDS = [*STREET_MONTH, DECOYS[1]]
MIN, MAX = TargetKind.MINIMUM_RATE, TargetKind.MAXIMUM_COUNT


def test_each_failed_target_is_a_breach_with_exactly_its_failing_cases() -> None:
    breaches = assess_letter(letter(), RECORDS, MARCH, overdue_case_ids=["C05", "C04", "C05"])
    found = {(b.target, b.rate): (b.measured, b.threshold, b.case_ids) for b in breaches}
    assert found == {
        # 3 of 7 answered cases resolved at the first visit: 42.857...% shown as 42.85
        (MIN, RateKind.FIRST_VISIT_RESOLUTION): (Decimal("42.85"), Decimal(50),
                                                 ("C02", "C03", "C06", "C11")),
        # 2.9 of 4: C03 was only basically satisfied, C06 not satisfied
        (MIN, RateKind.UNIT_SATISFACTION): (Decimal("72.50"), Decimal(90), ("C03", "C06")),
        (MIN, RateKind.TIMELY_ACCEPTANCE): (Decimal("80.00"), Decimal(95), ("C02", "C05")),
        (MIN, RateKind.ON_TIME_ANSWER): (Decimal("87.50"), Decimal(95), ("C10",)),
        (MAX, RateKind.REPEAT): (Decimal(2), Decimal(0), ("C03", "C11")),
        (MAX, RateKind.SKIP_LEVEL): (Decimal(1), Decimal(0), ("C06",)),
        (TargetKind.NO_CASE_OVERDUE, None): (Decimal(2), Decimal(0), ("C04", "C05")),
        (TargetKind.NO_THREE_VISITS_BY_UNIT_ERROR, None): (Decimal(1), Decimal(0), ("C11",)),
    }
    assert {(b.letter_id, b.unit_id, b.district, b.responsible_person) for b in breaches} == {
        ("L-2024-gas", "gas-company", "chaoyang", "Wang Li")}
    assert {(b.period_start, b.period_end) for b in breaches} == {(MARCH.start, MARCH.end)}


def test_targets_met_at_their_bounds_are_measured_but_not_breached() -> None:
    measured = {(m.kind, m.rate): m for m in measure_letter(letter(), RECORDS, MARCH, [])}
    participation = measured[(MIN, RateKind.EVALUATION_PARTICIPATION)]
    collective = measured[(MAX, RateKind.COLLECTIVE)]
    assert (participation.measured, participation.met) == (Fraction(80), True)  # 4/5 vs 80%
    assert (collective.measured, collective.met) == (Fraction(1), True)  # 1 vs at most 1
    assert measured[(TargetKind.NO_CASE_OVERDUE, None)].met is True


def test_a_rate_with_nothing_to_count_is_not_breached() -> None:
    measurements = measure_letter(letter(), [], MARCH, [])
    assert {m.rate: m.met for m in measurements if m.kind is MIN} == dict.fromkeys(
        letter().targets.minimum_percent, None)
    assert assess_letter(letter(), [], MARCH, []) == []


def test_the_threshold_is_compared_exactly() -> None:
    # 9 basically satisfied = 9 x 0.9 / 9 = 90% exactly; in floats it is 89.99999999999999.
    closed = [case(f"E{i}", local(3, 1), answered_at=local(3, 2), closed_at=local(3, 3),
                   unit_evaluation=BS) for i in range(9)]

    def satisfaction_at_least(percent: str) -> LetterTargets:
        return LetterTargets(minimum_percent={RateKind.UNIT_SATISFACTION: Decimal(percent)},
                             no_case_overdue=False)

    assert assess_letter(letter(targets=satisfaction_at_least("90")), closed, MARCH, []) == []
    (breach,) = assess_letter(letter(targets=satisfaction_at_least("90.01")), closed, MARCH, [])
    assert (breach.measured, breach.case_ids) == (Decimal("90.00"), tuple(f"E{i}" for i in
                                                                          range(9)))


def test_overdue_cases_count_only_when_the_letter_demands_none() -> None:
    lenient = letter(targets=LetterTargets(maximum_count={RateKind.COLLECTIVE: 5},
                                           no_case_overdue=False))
    assert assess_letter(lenient, [], MARCH, ["C04"]) == []
    (breach,) = assess_letter(letter(), [], MARCH, ["C04"])
    assert (breach.target, breach.case_ids) == (TargetKind.NO_CASE_OVERDUE, ("C04",))


def test_three_visits_by_the_units_error_name_the_person_in_charge_now() -> None:
    caused = [case("R1", local(3, 3), is_collective=True, attributed_to_unit_error=True),
              case("R2", local(3, 4), is_skip_level=True),
              case("R3", local(3, 5), attributed_to_unit_error=True)]  # error, but no petition
    lenient = LetterTargets(maximum_count={RateKind.COLLECTIVE: 5, RateKind.SKIP_LEVEL: 5})
    (breach,) = assess_letter(letter(targets=lenient, responsible_person="Zhao Min"), caused,
                              MARCH, [])
    assert (breach.target, breach.case_ids, breach.responsible_person) == (
        TargetKind.NO_THREE_VISITS_BY_UNIT_ERROR, ("R1",), "Zhao Min")


def test_other_units_cases_do_not_count_against_the_letter() -> None:
    others = [case("O1", local(3, 3), unit_id="housing", is_repeat=True,
                   attributed_to_unit_error=True)]
    assert assess_letter(letter(), others, MARCH, []) == []
