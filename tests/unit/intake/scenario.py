"""Building blocks for intake's tests: times, commands, and running commands against a case."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from services.intake.domain import IntakeRules, current_state, decide
from services.intake.domain.commands import (
    AnswerPetition,
    CaseCommand,
    DeliverAnswer,
    RecordUnitAcceptance,
    RegisterPetition,
)
from services.intake.domain.events import CaseEvent
from services.intake.domain.facts import AnswerOutcome, Channel, Petitioner

CST = timezone(timedelta(hours=8))
CASE = "case-1"
DISTRICT = "beiyuan"
UNIT = "gas-company"
CLERK = "clerk-wang"

# 2024: National Day holidays 1-7 October, make-up working days 29 September and 12 October.
NATIONAL_DAY = WorkingDayCalendar(
    district=DISTRICT,
    holidays=frozenset(date(2024, 10, d) for d in range(1, 8)),
    makeup_workdays=frozenset({date(2024, 9, 29), date(2024, 10, 12)}),
)
RULES = IntakeRules(calendar=NATIONAL_DAY)


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=CST)


T0 = at(2024, 3, 1)


def person(pid: str = "p-1", name: str = "Zhang San") -> Petitioner:
    return Petitioner(petitioner_id=pid, name=name, id_number="110101199001011234",
                      phone="13800000000", address="Dingjia 3-2-101")


def register(**overrides: Any) -> RegisterPetition:
    fields: dict[str, Any] = {
        "case_id": CASE, "district": DISTRICT, "at": T0, "received_at": T0,
        "channel": Channel.VISIT, "petitioners": [person()], "category": "gas",
        "community": "Dingjia", "subject": "gas supply never connected",
        "description": "Since completion in 2015 building 3 has had no gas.",
        "clerk_id": CLERK,
    }
    fields.update(overrides)
    return RegisterPetition(**fields)


def stamp(moment: datetime) -> dict[str, Any]:
    return {"case_id": CASE, "district": DISTRICT, "at": moment}


def case_events(events: list[DomainEvent]) -> list[CaseEvent]:
    """Every event decide returns belongs to a case: check it, and narrow the type."""
    narrowed = [e for e in events if isinstance(e, CaseEvent)]
    assert narrowed == events
    return narrowed


def run(*commands: CaseCommand, history: list[CaseEvent] | None = None,
        rules: IntakeRules = RULES) -> list[CaseEvent]:
    """Decide each command on the state so far; return the whole history."""
    events = list(history or [])
    for command in commands:
        events += case_events(decide(current_state(events), command, rules))
    return events


def delivered(moment: datetime, rules: IntakeRules = RULES) -> list[CaseEvent]:
    """A case registered, accepted and answered at T0, its answer delivered at ``moment``."""
    return run(
        register(),
        RecordUnitAcceptance(**stamp(T0), unit_id=UNIT),
        AnswerPetition(**stamp(T0), unit_id=UNIT, outcome=AnswerOutcome.SUPPORT,
                       summary="Gas will be connected by June."),
        DeliverAnswer(**stamp(moment)),
        rules=rules,
    )


def refused(history: list[CaseEvent], command: CaseCommand, rule: str,
            rules: IntakeRules = RULES) -> None:
    """The command is refused naming ``rule``, and the case is exactly as it was."""
    before = current_state(history)
    snapshot = list(history)
    with pytest.raises(DomainRuleViolation) as refusal:
        decide(before, command, rules)
    assert refusal.value.rule == rule
    assert history == snapshot
    assert current_state(history) == before
