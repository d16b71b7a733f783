"""A ranking as the JSON it is published in (the same shape when recomputed)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from casebus.domain.case_record import CaseRecord
from casebus.domain.rankings import RankBy, RankingWeights, rank
from services.reporting.adapters.case_record_reads import Positions
from services.reporting.domain.periods import parse_month
from services.reporting.service_layer.rate_json import fraction_text, rates_json, score_json
from services.reporting.service_layer.rate_reads import period_json


def ranking_json(records: Iterable[CaseRecord], *, district: str, month: str, by: RankBy,
                 weights: RankingWeights, basically_satisfied_weight: Fraction
                 ) -> dict[str, Any]:
    period = parse_month(month)
    entries = rank(records, period, district, by, weights, basically_satisfied_weight)
    return {
        "district": district, "period": period_json(month, period), "by": by.value,
        "weights": {kind.value: fraction_text(w) for kind, w in weights.weights.items()},
        "basically_satisfied_weight": fraction_text(basically_satisfied_weight),
        "entries": [{"key": e.key, "position": e.position, "score": score_json(e.score),
                     "rates": rates_json(dict(e.rates))} for e in entries],
    }


def positions_json(positions: Positions) -> list[dict[str, Any]]:
    return [{"topic": t, "partition": p, "offset": o}
            for (t, p), o in sorted(positions.items())]


def positions_of(stored: list[dict[str, Any]]) -> Positions:
    return {(p["topic"], p["partition"]): p["offset"] for p in stored}
