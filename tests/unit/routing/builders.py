"""Shared test data: a Beiyuan-like district, its 2026 calendar, and a routing document."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import CHINA_TZ, DeadlinePolicy
from services.routing.domain.assignment import AssignmentState, decide, evolve, initial_state
from services.routing.domain.commands import AssignCase, CaseCommand
from services.routing.domain.rules import RoutingDecision

DISTRICT = "chaoyang"
CASE = "case-1"

# 2026 National Day: 1-7 Oct off; Sunday 20 Sep and Saturday 10 Oct are make-up working days.
NATIONAL_DAY_2026 = [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]
MAKEUP_2026 = [date(2026, 9, 20), date(2026, 10, 10)]
CALENDAR = (WorkingDayCalendar(DISTRICT).with_holidays(NATIONAL_DAY_2026)
            .with_makeup_workdays(MAKEUP_2026))
POLICY = DeadlinePolicy(DISTRICT)


def local(y: int, m: int, d: int, h: int = 10, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, s, tzinfo=CHINA_TZ)


def document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "district": DISTRICT,
        "version": 3,
        "fallback_unit": "street-petition-office",
        "units": [
            {"id": "street-petition-office", "name": "Beiyuan petition office"},
            {"id": "gas-company", "name": "Gas company"},
            {"id": "housing", "name": "Housing and construction"},
            {"id": "urban-management", "name": "Urban management"},
            {"id": "dingjia-committee", "name": "Dingjia community", "level": "community"},
            {"id": "district-petition-bureau", "level": "district"},
        ],
        "rules": [
            {"id": "gas-any", "match": {"category": "gas"}, "lead_unit": "gas-company"},
            {"id": "gas-dingjia", "match": {"category": "gas", "community": "Dingjia"},
             "lead_unit": "gas-company", "assisting_units": ["dingjia-committee"],
             "level": "community"},
            {"id": "parking-any", "match": {"category": "parking", "community": "*"},
             "lead_unit": "urban-management"},
        ],
    }
    doc.update(copy.deepcopy(changes))
    return doc


def decision(unit: str = "gas-company", assisting: tuple[str, ...] = (),
             rule_id: str | None = "gas-any") -> RoutingDecision:
    return RoutingDecision(lead_unit=unit, assisting_units=list(assisting), rule_id=rule_id,
                           explanation=f"rule {rule_id}")


def assign(at: datetime, unit: str = "gas-company", assisting: tuple[str, ...] = ()
           ) -> AssignCase:
    return AssignCase(case_id=CASE, district=DISTRICT, category="gas", at=at,
                      decision=decision(unit, assisting))


def given(*commands: CaseCommand) -> AssignmentState:
    """The state after deciding and applying each command in turn (each must be accepted)."""
    state = initial_state()
    for command in commands:
        for event in decide(state, command, CALENDAR, POLICY):
            state = evolve(state, event)
    return state
