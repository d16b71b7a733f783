"""Rates and scores as JSON: exact fractions (numerator, denominator, value) and a decimal
string; "not applicable" when the denominator is empty (never 0%)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from casebus.domain.measured_rate import Rate, RateKind

DECIMAL_PLACES = Decimal("0.0001")


def fraction_text(value: Fraction) -> str:
    return str(value)  # "3/4", "1", "27/10": exact


def decimal_text(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator))
               .quantize(DECIMAL_PLACES, rounding=ROUND_HALF_EVEN))


def rate_json(rate: Rate) -> dict[str, Any]:
    value = rate.value
    return {"numerator": fraction_text(rate.numerator), "denominator": rate.denominator,
            "applicable": value is not None,
            "value": None if value is None else fraction_text(value),
            "decimal": None if value is None else decimal_text(value)}


def rates_json(rates: dict[RateKind, Rate]) -> dict[str, Any]:
    return {kind.value: rate_json(rate) for kind, rate in rates.items()}


def score_json(score: Fraction | None) -> dict[str, Any] | None:
    return None if score is None else {"value": fraction_text(score),
                                       "decimal": decimal_text(score)}
