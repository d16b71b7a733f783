"""Each district's configured standards: the weight of "basically satisfied" and the default
ranking weights (settings, JSON in the environment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from casebus.domain.measured_rate import RateKind, exact
from casebus.domain.rankings import RankingWeights
from casebus.domain.rates import DEFAULT_BASICALLY_SATISFIED_WEIGHT
from casebus.settings import Settings

DEFAULT_WEIGHTS = ("0.30", "0.35", "0.35")  # response, resolution, satisfaction


@dataclass(frozen=True)
class Standards:
    basically_satisfied: dict[str, str] = field(default_factory=dict)
    ranking_weights: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: Settings) -> Standards:
        return cls(dict(settings.basically_satisfied_weight), dict(settings.ranking_weights))

    def basically_satisfied_weight(self, district: str) -> Fraction:
        configured = self.basically_satisfied.get(district)
        return DEFAULT_BASICALLY_SATISFIED_WEIGHT if configured is None else exact(configured)

    def weights(self, district: str) -> RankingWeights:
        configured = self.ranking_weights.get(district)
        if configured is None:
            return RankingWeights.response_resolution_satisfaction(*DEFAULT_WEIGHTS)
        return RankingWeights.of({RateKind(k): v for k, v in configured.items()})
