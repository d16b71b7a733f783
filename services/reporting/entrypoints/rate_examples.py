"""Examples of the rate and ranking answers, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

_RATE = {"numerator": "27/10", "denominator": 3, "applicable": True, "value": "9/10",
         "decimal": "0.9000"}
_NOT_APPLICABLE = {"numerator": "0", "denominator": 0, "applicable": False, "value": None,
                   "decimal": None}
_PERIOD = {"name": "2026-03", "start": "2026-03-01T00:00:00+08:00",
           "end": "2026-04-01T00:00:00+08:00"}

RATES = {"district": "chaoyang", "period": _PERIOD, "by": "unit",
         "basically_satisfied_weight": "9/10", "total": 1,
         "groups": [{"key": "gas-company", "rates": {"timely-acceptance": _RATE,
                                                     "office-satisfaction": _NOT_APPLICABLE}}]}

RANKING = {"ranking_id": "ranking-4f1c2a9e0b7d6c5a", "computed_at": "2026-04-01T09:00:00+08:00",
           "computed_by": "zhao",
           "positions": [{"topic": "petitions.intake.events", "partition": 0, "offset": 41}],
           "district": "chaoyang", "period": _PERIOD, "by": "unit",
           "weights": {"first-visit-resolution": "7/20", "unit-satisfaction": "7/20",
                       "timely-acceptance": "3/10"},
           "basically_satisfied_weight": "9/10",
           "entries": [{"key": "gas-company", "position": 1,
                        "score": {"value": "9/10", "decimal": "0.9000"},
                        "rates": {"timely-acceptance": _RATE}}]}


def answer(example: dict[str, Any], status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {status: {"content": {"application/json": {"example": example}}}}
