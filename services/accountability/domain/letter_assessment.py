"""Assessing a unit against its responsibility letter: each target measured, each failure a breach.

A minimum rate that is not applicable (no case in its denominator) is neither met nor broken.
A count limit always applies (no case is a count of 0). An overdue case is a breach on its own
when the letter demands that none be overdue. "Three visits" induced by the unit's own error
are always a breach, and it names the letter's responsible person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from fractions import Fraction

from pydantic import AwareDatetime, BaseModel, ConfigDict

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.measured_rate import RateKind
from casebus.domain.rates import DEFAULT_BASICALLY_SATISFIED_WEIGHT, measure
from casebus.domain.reporting_period import ReportingPeriod
from casebus.domain.settled_cases import cases_in_scope, registered
from services.accountability.domain.responsibility_letter import ResponsibilityLetter


class TargetKind(StrEnum):
    MINIMUM_RATE = "minimum-rate"  # measured and threshold in percent
    MAXIMUM_COUNT = "maximum-count"  # measured and threshold in cases
    NO_CASE_OVERDUE = "no-case-overdue"
    NO_THREE_VISITS_BY_UNIT_ERROR = "no-three-visits-by-unit-error"


@dataclass(frozen=True)
class TargetMeasurement:
    kind: TargetKind
    rate: RateKind | None
    threshold: Decimal  # as the letter states it
    measured: Fraction | None  # exact; None: not applicable
    failing_case_ids: tuple[str, ...]  # the cases that pull the measure below its target

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        if self.kind is TargetKind.MINIMUM_RATE:
            return self.measured >= Fraction(self.threshold)
        return self.measured <= Fraction(self.threshold)


class BreachFound(BaseModel):
    """A failed target with its evidence. ``measured`` is truncated to 2 decimals for people;
    whether it failed was decided on the exact value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    letter_id: str
    district: str
    unit_id: str
    responsible_person: str
    period_start: AwareDatetime
    period_end: AwareDatetime
    target: TargetKind
    rate: RateKind | None
    threshold: Decimal
    measured: Decimal
    case_ids: tuple[str, ...]


def measure_letter(
    letter: ResponsibilityLetter,
    records: Iterable[CaseRecord],
    period: ReportingPeriod,
    overdue_case_ids: Iterable[str],
    basically_satisfied_weight: Fraction = DEFAULT_BASICALLY_SATISFIED_WEIGHT,
) -> list[TargetMeasurement]:
    """The measured value of every target of the letter over the unit's records in the period."""
    scope = Scope(district=letter.district, unit_id=letter.unit_id)
    cases = cases_in_scope(records, scope)  # chosen once for every target
    measurements = []
    for kind, percent in sorted(letter.targets.minimum_percent.items()):
        rate = measure(kind, cases, period, scope, basically_satisfied_weight)
        measurements.append(TargetMeasurement(TargetKind.MINIMUM_RATE, kind, percent,
                                              rate.percent, rate.shortfall_case_ids))
    for kind, limit in sorted(letter.targets.maximum_count.items()):
        rate = measure(kind, cases, period, scope)
        measurements.append(TargetMeasurement(TargetKind.MAXIMUM_COUNT, kind, Decimal(limit),
                                              Fraction(len(rate.numerator_case_ids)),
                                              rate.numerator_case_ids))
    if letter.targets.no_case_overdue:
        overdue = tuple(sorted(set(overdue_case_ids)))
        measurements.append(TargetMeasurement(TargetKind.NO_CASE_OVERDUE, None, Decimal(0),
                                              Fraction(len(overdue)), overdue))
    by_unit_error = tuple(r.case_id for r in registered(cases, period)
                          if r.is_three_visits and r.attributed_to_unit_error)
    measurements.append(TargetMeasurement(TargetKind.NO_THREE_VISITS_BY_UNIT_ERROR, None,
                                          Decimal(0), Fraction(len(by_unit_error)),
                                          by_unit_error))
    return measurements


def assess_letter(
    letter: ResponsibilityLetter,
    records: Iterable[CaseRecord],
    period: ReportingPeriod,
    overdue_case_ids: Iterable[str],
    basically_satisfied_weight: Fraction = DEFAULT_BASICALLY_SATISFIED_WEIGHT,
) -> list[BreachFound]:
    """A breach for every target the unit failed in the period, with the cases behind it."""
    return [
        BreachFound(letter_id=letter.letter_id, district=letter.district, unit_id=letter.unit_id,
                    responsible_person=letter.responsible_person, period_start=period.start,
                    period_end=period.end, target=m.kind, rate=m.rate,
                    threshold=m.threshold, measured=_for_people(m.measured),
                    case_ids=m.failing_case_ids)
        for m in measure_letter(letter, records, period, overdue_case_ids,
                                basically_satisfied_weight)
        if m.met is False and m.measured is not None
    ]


def _for_people(value: Fraction) -> Decimal:
    # Truncating keeps a failed minimum visibly below its threshold (94.999% shows as 94.99%).
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN)
