"""The targets a responsibility letter sets, and the rules a target must obey.

Minimum rates are percentages (first-visit resolution >= X%, satisfaction >= Y%, ...); maximum
counts limit the "three visits" (repeat <= N, collective <= M, skip-level <= K); and a letter
may demand that no case be overdue. Which rate each target measures is in ``casebus.domain.rates``.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.measured_rate import RateKind

# A minimum makes sense only where more is better; a count limit only for the "three visits".
RATES_WITH_MINIMUM = frozenset({
    RateKind.FIRST_VISIT_RESOLUTION, RateKind.UNIT_SATISFACTION, RateKind.OFFICE_SATISFACTION,
    RateKind.EVALUATION_PARTICIPATION, RateKind.TIMELY_ACCEPTANCE, RateKind.ON_TIME_ANSWER,
})
THREE_VISITS = frozenset({RateKind.REPEAT, RateKind.COLLECTIVE, RateKind.SKIP_LEVEL})


class LetterTargets(BaseModel):
    """E.g. ``LetterTargets(minimum_percent={RateKind.FIRST_VISIT_RESOLUTION: Decimal(90)},
    maximum_count={RateKind.REPEAT: 2})``. Validated by ``check_targets`` so that a bad target
    is refused as a rule of the domain, with its rule id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    minimum_percent: dict[RateKind, Decimal] = {}
    maximum_count: dict[RateKind, int] = {}
    no_case_overdue: bool = True


def check_targets(targets: LetterTargets) -> None:
    """Refuse targets a letter cannot hold; every rule id is stable and searchable."""
    for kind, percent in targets.minimum_percent.items():
        if kind not in RATES_WITH_MINIMUM:
            raise DomainRuleViolation("minimum-only-for-rates-where-more-is-better",
                                      f"a letter cannot set a minimum {kind} rate")
        if not Decimal(0) <= percent <= Decimal(100):
            raise DomainRuleViolation("target-threshold-within-0-100",
                                      f"{kind} threshold {percent}% is outside 0..100")
    for kind, limit in targets.maximum_count.items():
        if kind not in THREE_VISITS:
            raise DomainRuleViolation("count-limit-only-for-three-visits",
                                      f"a letter cannot limit the count of {kind}")
        if limit < 0:
            raise DomainRuleViolation("count-limit-not-negative",
                                      f"{kind} limit {limit} is below 0")
    if not (targets.minimum_percent or targets.maximum_count or targets.no_case_overdue):
        raise DomainRuleViolation("letter-sets-a-target", "a letter must set at least one target")
