"""A month of the gas company's cases in March 2026, as accountability receives them, and the
2026 letter it is held to: cases accepted late, answered, evaluated, a repeat, one overdue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from casebus.domain.measured_rate import RateKind
from casebus.envelope import CloudEvent
from services.accountability.domain.letter_targets import LetterTargets
from services.accountability.domain.responsibility_letter import ResponsibilityLetter
from tests.integration.accountability.facts import fact
from tests.unit.clocks.calendars import local

UNIT = "gas-company"
TARGETS = LetterTargets(
    minimum_percent={RateKind.TIMELY_ACCEPTANCE: Decimal(100),
                     RateKind.ON_TIME_ANSWER: Decimal(90),
                     RateKind.UNIT_SATISFACTION: Decimal(95),
                     RateKind.EVALUATION_PARTICIPATION: Decimal(100),
                     RateKind.FIRST_VISIT_RESOLUTION: Decimal(50)},
    maximum_count={RateKind.REPEAT: 0, RateKind.COLLECTIVE: 1, RateKind.SKIP_LEVEL: 0},
    no_case_overdue=True)


def letter(letter_id: str = "L-gas-2026", district: str = "chaoyang",
           targets: LetterTargets = TARGETS) -> ResponsibilityLetter:
    return ResponsibilityLetter(letter_id=letter_id, district=district, unit_id=UNIT,
                                responsible_person="Manager Liu", year=2026, targets=targets)


def handled(case: str, day: int, *, unit: str = UNIT, district: str = "chaoyang",
            accept_after_days: int = 1, answer_after_days: int | None = 5,
            limit_days: int = 60, **registration: object) -> list[CloudEvent]:
    """Registered on ``day`` of March, assigned at once (3 days to accept), accepted, and
    answered ``answer_after_days`` after the acceptance (None: never)."""
    at = local(2026, 3, day, 9)
    accepted = at + timedelta(days=accept_after_days)
    events = [
        fact("registered", case, at, district, received_at=at, **registration),
        fact("assigned", case, at + timedelta(minutes=5), district, unit_id=unit,
             acceptance_due=(at + timedelta(days=3)).isoformat()),
        fact("accepted", case, accepted, district, unit_id=unit, answer_limit_days=limit_days,
             answer_due=(accepted + timedelta(days=limit_days)).isoformat())]
    if answer_after_days is not None:
        events.append(fact("answered", case, accepted + timedelta(days=answer_after_days),
                           district, unit_id=unit))
    return events


def evaluated_and_closed(case: str, day: int, satisfaction: str) -> list[CloudEvent]:
    at = local(2026, 3, day, 15)
    return [fact("evaluated", case, at, evaluator="responsible-unit",
                 satisfaction=satisfaction),
            fact("closed", case, at + timedelta(days=1))]


def march() -> list[CloudEvent]:
    """gas-1 accepted late and unsatisfied; gas-2 on time and satisfied; gas-3 a repeat never
    evaluated; gas-4 overdue (5 days to answer, no answer); others' cases that must not count:
    the urban management's overdue case and another district's gas company's."""
    return [
        *handled("gas-1", 2, accept_after_days=6),
        *evaluated_and_closed("gas-1", 16, "not-satisfied"),
        *handled("gas-2", 3), *evaluated_and_closed("gas-2", 12, "satisfied"),
        *handled("gas-3", 5), fact("repeat-confirmed", "gas-3", local(2026, 3, 6),
                                   repeat_of="gas-1", clerk_id="clerk-wang"),
        fact("closed", "gas-3", local(2026, 3, 20)),
        *handled("gas-4", 9, answer_after_days=None, limit_days=5),
        *handled("urban-1", 9, unit="urban-management", answer_after_days=None, limit_days=5),
        *handled("haidian-gas-1", 9, district="haidian", answer_after_days=None, limit_days=5),
    ]
