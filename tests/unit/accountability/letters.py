"""Test data: the gas company's 2024 responsibility letter and commands on it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from casebus.domain.measured_rate import RateKind
from services.accountability.domain.letter_targets import LetterTargets
from services.accountability.domain.responsibility_letter import (
    AmendResponsibilityLetter,
    ResponsibilityLetter,
    RevokeResponsibilityLetter,
    SignResponsibilityLetter,
)
from tests.unit.rates.street_month import DISTRICT, local

TARGETS = LetterTargets(
    minimum_percent={RateKind.FIRST_VISIT_RESOLUTION: Decimal(50),
                     RateKind.UNIT_SATISFACTION: Decimal(90),
                     RateKind.EVALUATION_PARTICIPATION: Decimal(80),
                     RateKind.TIMELY_ACCEPTANCE: Decimal(95),
                     RateKind.ON_TIME_ANSWER: Decimal(95)},
    maximum_count={RateKind.REPEAT: 0, RateKind.COLLECTIVE: 1, RateKind.SKIP_LEVEL: 0},
)


def letter(**changes: Any) -> ResponsibilityLetter:
    fields: dict[str, Any] = {"letter_id": "L-2024-gas", "district": DISTRICT,
                              "unit_id": "gas-company", "responsible_person": "Wang Li",
                              "year": 2024, "targets": TARGETS}
    return ResponsibilityLetter(**{**fields, **changes})


def sign(**changes: Any) -> SignResponsibilityLetter:
    return SignResponsibilityLetter(at=local(1, 10), letter=letter(**changes),
                                    signed_by="street party secretary")


def amend(**changes: Any) -> AmendResponsibilityLetter:
    return AmendResponsibilityLetter(at=local(6, 1), letter=letter(**changes),
                                     reason="half-year review")


def revoke(letter_id: str = "L-2024-gas", district: str = DISTRICT) -> RevokeResponsibilityLetter:
    return RevokeResponsibilityLetter(at=local(7, 1), district=district, letter_id=letter_id,
                                      reason="unit merged")
