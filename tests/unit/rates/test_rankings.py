"""Rankings: weights validated, scores by hand, ties broken as documented in rankings.py."""

from __future__ import annotations

from fractions import Fraction

import pytest

from casebus.domain.case_record import CaseRecord
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.evaluation import Satisfaction
from casebus.domain.measured_rate import RateKind
from casebus.domain.rankings import RankBy, RankingWeights, rank
from tests.unit.rates.street_month import DISTRICT, MARCH, NS, S, case, local

COUNTY = RankingWeights.response_resolution_satisfaction(0.30, 0.35, 0.35)


def handled(unit: str, n: int, *, late: bool = False, repeat: bool = False,
            evaluation: Satisfaction | None = S, community: str = "Dingjia",
            district: str = DISTRICT) -> CaseRecord:
    """A case of March: accepted (a day late if ``late``), answered, closed and evaluated."""
    return case(f"{unit}-{n}", local(3, 2), unit_id=unit, community=community, district=district,
                acceptance_due=local(3, 5), accepted_at=local(3, 6 if late else 4),
                answer_due=local(4, 30), answered_at=local(3, 10), closed_at=local(3, 12),
                is_repeat=repeat, unit_evaluation=evaluation)


RECORDS = [
    # score = 0.30 x response + 0.35 x resolution + 0.35 x satisfaction
    handled("gas", 1), handled("gas", 2),                                  # 1
    handled("housing", 1, late=True), handled("housing", 2),               # .15 + .35 + .35 = .85
    handled("urban", 1, repeat=True), handled("urban", 2),                 # .30 + .175 + .35 = .825
    handled("property", 1, evaluation=NS), handled("property", 2),         # .30 + .35 + .175 = .825
    handled("roads", 1, late=True, evaluation=NS), handled("roads", 2),    # .15 + .35 + .175 = .675
    handled("parks", 1, late=True, evaluation=NS), handled("parks", 2),    # .675
    handled("quiet", 1, evaluation=None),                      # no satisfaction: not ranked
    handled("elsewhere", 1, district="haidian"),               # another district: not listed
]


def test_scores_and_positions_by_hand() -> None:
    ranking = rank(RECORDS, MARCH, DISTRICT, RankBy.UNIT, COUNTY)
    assert [(e.position, e.key, e.score) for e in ranking] == [
        (1, "gas", 1),
        (2, "housing", Fraction(85, 100)),
        # urban and property tie at .825; resolution and satisfaction weigh the same, so the
        # earlier RateKind (first-visit resolution) decides: property resolved both.
        (3, "property", Fraction(825, 1000)),
        (4, "urban", Fraction(825, 1000)),
        # roads and parks are equal on every rate: code-point order of the key decides.
        (5, "parks", Fraction(675, 1000)),
        (6, "roads", Fraction(675, 1000)),
        (None, "quiet", None),
    ]


def test_heaviest_weight_breaks_a_tie_first() -> None:
    weights = RankingWeights.of({RateKind.TIMELY_ACCEPTANCE: "0.6",
                                 RateKind.FIRST_VISIT_RESOLUTION: "0.4"})
    # zhao: response 2/3, resolution 0 -> .6 x 2/3 = .4; bai: response 0, resolution 1 -> .4.
    # Tied; response weighs more and zhao leads on it, although "bai" comes first by name.
    records = [handled("zhao", 1, late=True, repeat=True), handled("zhao", 2, repeat=True),
               handled("zhao", 3, repeat=True)] + [handled("bai", i, late=True) for i in (1, 2, 3)]
    ranking = rank(records, MARCH, DISTRICT, RankBy.UNIT, weights)
    assert [(e.key, e.score) for e in ranking] == [("zhao", Fraction(2, 5)),
                                                   ("bai", Fraction(2, 5))]
    # With equal weights the earlier RateKind (timely acceptance) decides the same tie.
    even = RankingWeights({RateKind.TIMELY_ACCEPTANCE: Fraction(1, 2),
                           RateKind.FIRST_VISIT_RESOLUTION: Fraction(1, 2)})
    records = [handled("zhao", 1, repeat=True), handled("bai", 1, late=True)]
    assert [e.key for e in rank(records, MARCH, DISTRICT, RankBy.UNIT, even)] == ["zhao", "bai"]


def test_communities_are_ranked_over_all_their_units() -> None:
    records = [handled("gas", 1, community="Yashiyuan"), handled("urban", 1, community="Dingjia",
                                                                 late=True)]
    ranking = rank(records, MARCH, DISTRICT, RankBy.COMMUNITY, COUNTY)
    assert [(e.key, e.score) for e in ranking] == [("Yashiyuan", 1), ("Dingjia", Fraction(7, 10))]


def test_the_input_order_does_not_change_the_ranking() -> None:
    forward = rank(RECORDS, MARCH, DISTRICT, RankBy.UNIT, COUNTY)
    assert rank(list(reversed(RECORDS)), MARCH, DISTRICT, RankBy.UNIT, COUNTY) == forward


@pytest.mark.parametrize(("weights", "rule"), [
    ({RateKind.TIMELY_ACCEPTANCE: 0.3, RateKind.UNIT_SATISFACTION: 0.6},
     "ranking-weights-sum-to-one"),
    ({RateKind.TIMELY_ACCEPTANCE: 0.3, RateKind.UNIT_SATISFACTION: 0.35,
      RateKind.FIRST_VISIT_RESOLUTION: 0.36}, "ranking-weights-sum-to-one"),
    ({}, "ranking-weights-sum-to-one"),
    ({RateKind.TIMELY_ACCEPTANCE: 1.5, RateKind.UNIT_SATISFACTION: -0.5},
     "ranking-weight-positive"),
    ({RateKind.TIMELY_ACCEPTANCE: 0, RateKind.UNIT_SATISFACTION: 1}, "ranking-weight-positive"),
    ({RateKind.REPEAT: 0.5, RateKind.UNIT_SATISFACTION: 0.5}, "ranking-rate-higher-is-better"),
])
def test_invalid_weights_are_refused(weights, rule) -> None:
    with pytest.raises(DomainRuleViolation) as refused:
        RankingWeights.of(weights)
    assert refused.value.rule == rule


def test_float_weights_that_sum_to_one_in_decimal_are_accepted() -> None:
    # 0.30 + 0.35 + 0.35 is not exactly 1.0 in binary floats; the weights are taken as decimals.
    assert sum(COUNTY.weights.values()) == 1
    assert list(COUNTY.weights) == [RateKind.FIRST_VISIT_RESOLUTION, RateKind.UNIT_SATISFACTION,
                                    RateKind.TIMELY_ACCEPTANCE]
