"""Rankings of units, communities or streets by a weighted score of their rates.

Weights are configuration (Beijing ranks on response, resolution and satisfaction; one county
weighs them 30/35/35). Only rates where higher is better may be weighted, so a score is a
weighted mean in 0..1.

A score exists only when every weighted rate applies: a unit without evaluated cases is not
ranked rather than ranked on its other rates, so that avoiding evaluations cannot pay.

Ties are broken deterministically: by the weighted rates one by one, heaviest weight first
(equal weights in ``RateKind`` order), then by the key in code-point order. Positions are
1, 2, 3... without gaps; entries without a score follow, in key order, without a position.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.measured_rate import Rate, RateKind, exact
from casebus.domain.rates import DEFAULT_BASICALLY_SATISFIED_WEIGHT, measure
from casebus.domain.reporting_period import ReportingPeriod
from casebus.domain.settled_cases import cases_in_scope

HIGHER_IS_BETTER = frozenset({
    RateKind.TIMELY_ACCEPTANCE, RateKind.ON_TIME_ANSWER, RateKind.FIRST_VISIT_RESOLUTION,
    RateKind.EVALUATION_PARTICIPATION, RateKind.UNIT_SATISFACTION, RateKind.OFFICE_SATISFACTION,
})
Weight = Fraction | Decimal | int | float | str


class RankBy(StrEnum):
    UNIT = "unit"
    COMMUNITY = "community"
    STREET = "street"


@dataclass(frozen=True)
class RankingWeights:
    """Weights of rates in a ranking score: each positive, summing to exactly 1."""

    weights: Mapping[RateKind, Fraction]

    def __post_init__(self) -> None:
        exact_weights = {RateKind(k): exact(w) for k, w in self.weights.items()}
        if not set(exact_weights) <= HIGHER_IS_BETTER:
            raise DomainRuleViolation("ranking-rate-higher-is-better", "only rates where higher "
                                      "is better may be weighted in a ranking score")
        if any(w <= 0 for w in exact_weights.values()):
            raise DomainRuleViolation("ranking-weight-positive", "every weight must be above 0")
        if sum(exact_weights.values()) != 1:
            raise DomainRuleViolation("ranking-weights-sum-to-one",
                                      f"weights sum to {sum(exact_weights.values())}, not 1")
        kind_order = list(RateKind)
        ordered = sorted(exact_weights.items(), key=lambda kw: (-kw[1], kind_order.index(kw[0])))
        object.__setattr__(self, "weights", MappingProxyType(dict(ordered)))

    @classmethod
    def of(cls, weights: Mapping[RateKind, Weight]) -> RankingWeights:
        """Weights as configured: ``0.35``, ``"0.35"``, ``Decimal("0.35")`` all mean 35/100."""
        return cls({kind: exact(weight) for kind, weight in weights.items()})

    @classmethod
    def response_resolution_satisfaction(
        cls, response: Weight, resolution: Weight, satisfaction: Weight
    ) -> RankingWeights:
        """Response = timely acceptance, resolution = first-visit resolution,
        satisfaction = satisfaction with the unit. E.g. ``(0.30, 0.35, 0.35)``."""
        return cls.of({RateKind.TIMELY_ACCEPTANCE: response,
                       RateKind.FIRST_VISIT_RESOLUTION: resolution,
                       RateKind.UNIT_SATISFACTION: satisfaction})


@dataclass(frozen=True)
class RankedEntry:
    key: str
    position: int | None
    score: Fraction | None
    rates: Mapping[RateKind, Rate] = field(default_factory=dict)


def rank(
    records: Iterable[CaseRecord],
    period: ReportingPeriod,
    district: str,
    by: RankBy,
    weights: RankingWeights,
    basically_satisfied_weight: Fraction = DEFAULT_BASICALLY_SATISFIED_WEIGHT,
) -> list[RankedEntry]:
    """Rank the units, communities or streets of one district that have any case record."""
    groups: dict[str, list[CaseRecord]] = defaultdict(list)
    for record in records:
        key = getattr(record, _KEY_FIELD[by])
        if record.district == district and key is not None:
            groups[key].append(record)
    entries = []
    for key, group in groups.items():
        scope = Scope(district=district, **{_KEY_FIELD[by]: key})
        cases = cases_in_scope(group, scope)  # chosen once for all its rates
        rates = {kind: measure(kind, cases, period, scope, basically_satisfied_weight)
                 for kind in weights.weights}
        entries.append(RankedEntry(key=key, position=None, score=_score(rates, weights),
                                   rates=rates))
    scored = sorted((e for e in entries if e.score is not None), key=_ranking_order)
    unscored = sorted((e for e in entries if e.score is None), key=lambda e: e.key)
    ranked = [RankedEntry(e.key, i, e.score, e.rates) for i, e in enumerate(scored, start=1)]
    return ranked + unscored


def _score(rates: Mapping[RateKind, Rate], weights: RankingWeights) -> Fraction | None:
    score = Fraction(0)
    for kind, weight in weights.weights.items():
        value = rates[kind].value
        if value is None:
            return None
        score += weight * value
    return score


def _ranking_order(entry: RankedEntry) -> tuple[Fraction | str, ...]:
    # Rates are stored heaviest weight first, so they break ties in that order.
    values = [-(rate.value or Fraction(0)) for rate in entry.rates.values()]
    return (-(entry.score or Fraction(0)), *values, entry.key)

_KEY_FIELD = {RankBy.UNIT: "unit_id", RankBy.COMMUNITY: "community", RankBy.STREET: "street"}
