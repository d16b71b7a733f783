"""The bodies of the letter commands, with examples: targets of every kind the domain knows."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from casebus.domain.measured_rate import RateKind
from casebus.fields import Line, Text

# Bounded so that no input reaches the domain unbounded; the domain's own limits (0..100,
# not negative) answer 409 with their rule ids.
Percent = Annotated[Decimal, Field(ge=-1000, le=1000, max_digits=7, decimal_places=3,
                                   allow_inf_nan=False)]
Count = Annotated[int, Field(ge=-1000, le=100_000)]

TARGETS_EXAMPLE: dict[str, Any] = {
    "minimum_percent": {"first-visit-resolution": 90, "unit-satisfaction": 95,
                        "office-satisfaction": 95, "evaluation-participation": 80,
                        "timely-acceptance": 100, "on-time-answer": 98},
    "maximum_count": {"repeat": 2, "collective": 0, "skip-level": 1},
    "no_case_overdue": True}


class TargetsIn(BaseModel):
    """Minimum rates in percent (rates where more is better), at most N "three visits"
    petitions (repeat, collective, skip-level), and whether no case may be overdue."""

    model_config = ConfigDict(extra="forbid")
    minimum_percent: dict[RateKind, Percent] = {}
    maximum_count: dict[RateKind, Count] = {}
    no_case_overdue: bool = True


class LetterIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "unit_id": "gas-company", "year": 2026, "responsible_person": "Manager Liu",
        "targets": TARGETS_EXAMPLE}]})
    unit_id: Line
    year: int = Field(ge=1990, le=2999)
    responsible_person: Line
    targets: TargetsIn


class AmendmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "responsible_person": "Deputy Manager Sun", "targets": TARGETS_EXAMPLE,
        "reason": "Manager Liu moved to another post"}]})
    responsible_person: Line
    targets: TargetsIn
    reason: Text


class RevocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "reason": "The unit was merged into the street's service centre"}]})
    reason: Text
