"""Spot checks: reproducible from the recorded seed, whatever order the cases came in."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebus.domain.errors import DomainRuleViolation
from services.accountability.domain.spot_check import (
    DrawSpotCheck,
    SpotCheckDrawn,
    draw_spot_check,
    spot_check_sample,
)
from tests.unit.rates.street_month import DISTRICT, MARCH, case, local

case_ids = st.lists(st.text("ABC0123456789-", min_size=1, max_size=6), unique=True, max_size=40)


@given(case_ids, st.integers(1, 50), st.integers(0, 2**64), st.randoms(use_true_random=False))
def test_same_seed_and_population_give_the_same_sample_in_any_order(ids, size, seed, rnd) -> None:
    shuffled = list(ids)
    rnd.shuffle(shuffled)
    sample = spot_check_sample(ids, size, seed)
    assert spot_check_sample(shuffled, size, seed) == sample
    assert spot_check_sample(shuffled + shuffled[:3], size, seed) == sample  # duplicates too
    assert set(sample) <= set(ids)
    assert len(sample) == min(size, len(ids)) == len(set(sample))
    assert list(sample) == sorted(sample)


def test_the_sample_is_python_random_over_the_sorted_population() -> None:
    # Pinned so that an auditor can redraw a recorded check with random.Random(seed) alone.
    population = [f"C{i:02}" for i in range(20)]
    expected = sorted(random.Random(2024).sample(sorted(population), 5))
    assert spot_check_sample(reversed(population), 5, 2024) == tuple(expected)
    assert spot_check_sample(population, 5, 2024) != spot_check_sample(population, 5, 2025)


def draw(**changes: object) -> DrawSpotCheck:
    fields: dict[str, object] = {"at": local(4, 2), "district": DISTRICT,
                                 "unit_id": "gas-company", "period_start": MARCH.start,
                                 "period_end": MARCH.end, "sample_size": 2, "seed": 7}
    return DrawSpotCheck.model_validate({**fields, **changes})


RECORDS = [
    case("K1", local(3, 1), closed_at=local(3, 5)),
    case("K2", local(3, 1), closed_at=local(3, 31, 23, 59)),
    case("K3", local(3, 1), closed_at=local(3, 9)),
    case("N1", local(3, 1)),  # still open
    case("N2", local(3, 1), closed_at=local(4, 1, 0, 0)),  # closed in April
    case("N3", local(3, 1), closed_at=local(3, 9), unit_id="housing"),  # another unit
    case("N4", local(3, 1), closed_at=local(3, 9), district="haidian"),  # another district
]


def test_a_draw_samples_the_units_cases_closed_in_the_period_and_records_its_seed() -> None:
    (event,) = draw_spot_check(draw(), RECORDS)
    assert isinstance(event, SpotCheckDrawn)
    assert (event.seed, event.sample_size, event.population_count) == (7, 2, 3)
    assert event.chosen_case_ids == spot_check_sample(["K1", "K2", "K3"], 2, 7)
    assert draw_spot_check(draw(), list(reversed(RECORDS))) == [event]


def test_a_sample_larger_than_the_population_takes_every_case() -> None:
    (event,) = draw_spot_check(draw(sample_size=10), RECORDS)
    assert (event.sample_size, event.chosen_case_ids) == (10, ("K1", "K2", "K3"))


def test_a_draw_needs_a_positive_size_and_a_real_period() -> None:
    with pytest.raises(DomainRuleViolation) as refused:
        draw_spot_check(draw(sample_size=0), RECORDS)
    assert refused.value.rule == "spot-check-sample-size-positive"
    with pytest.raises(DomainRuleViolation) as refused:
        draw_spot_check(draw(period_end=MARCH.start), RECORDS)
    assert refused.value.rule == "period-ends-after-it-starts"


def test_findings_only_for_drawn_cases_and_once_each() -> None:
    from services.accountability.domain.spot_check import (
        RecordSpotCheckFinding,
        record_finding,
    )
    drawn = SpotCheckDrawn(district=DISTRICT, occurred_at=local(4, 1), unit_id="gas-company",
                           period_start=local(3, 1), period_end=local(4, 1), seed=1,
                           sample_size=2, population_count=3, chosen_case_ids=("C01", "C02"))

    def finding(case_id: str, district: str = DISTRICT) -> RecordSpotCheckFinding:
        return RecordSpotCheckFinding(at=local(4, 2), district=district, spot_check_id="s1",
                                      case_id=case_id, compliant=True, finding="in order")

    def rule(*args: object) -> str:
        with pytest.raises(DomainRuleViolation) as refusal:
            record_finding(*args)  # type: ignore[arg-type]
        return refusal.value.rule

    (first,) = record_finding(drawn, [], finding("C01"))
    assert (first.case_id, first.compliant, first.spot_check_id) == ("C01", True, "s1")
    assert rule(drawn, [first], finding("C01")) == "finding-recorded-once"
    assert rule(drawn, [first], finding("C03")) == "finding-only-for-a-drawn-case"
    assert rule(None, [], finding("C01")) == "finding-needs-a-spot-check"
    assert rule(drawn, [], finding("C01", "haidian")) == "finding-needs-a-spot-check"
    assert len(record_finding(drawn, [first], finding("C02"))) == 1
