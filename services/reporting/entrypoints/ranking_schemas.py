"""What a leader sends to publish a ranking."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from casebus.domain.measured_rate import RateKind

Weight = Annotated[Decimal, Field(gt=0, le=1, max_digits=12, decimal_places=10)]
MonthName = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", examples=["2026-03"])]


class RankedBy(StrEnum):
    """What a monthly ranking ranks (streets are not known to reporting's records)."""

    UNIT = "unit"
    COMMUNITY = "community"


class RankingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"month": "2026-03", "by": "unit",
         "weights": {"timely-acceptance": "0.30", "first-visit-resolution": "0.35",
                     "unit-satisfaction": "0.35"}},
        {"month": "2026-03", "by": "community"}]})

    month: MonthName
    by: RankedBy = RankedBy.UNIT
    weights: Annotated[dict[RateKind, Weight] | None, Field(
        description="rate -> weight, summing to 1 (default: the district's configured)")] = None
    basically_satisfied_weight: Annotated[Decimal | None, Field(
        ge=0, le=1, max_digits=12, decimal_places=10,
        description="default: the district's configured (0.9)")] = None
