"""Assigning a registered petition to its responsible unit.

Routing learns of a petition from intake's public event (no personal data). The assignment is
decided by the domain (``route`` and the assignment decider) and appended in the consumer's
transaction, so the inbox row and the assignment commit together.
"""

from __future__ import annotations

import logging

import asyncpg
from pydantic import AwareDatetime, BaseModel, ConfigDict

from casebus.clock import Clock
from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import DeadlinePolicy
from casebus.domain.decider import fold
from casebus.envelope import CloudEvent
from casebus.repository import EventSourcedRepository, Metadata
from services.routing.domain import assignment
from services.routing.domain.commands import AssignCase
from services.routing.domain.rules import CaseFacts, RoutingRules, route

log = logging.getLogger(__name__)


class PetitionRegisteredView(BaseModel):
    """The fields of intake's ``petition.case.registered.v1`` that routing reads."""

    model_config = ConfigDict(extra="ignore")

    case_id: str
    district: str
    occurred_at: AwareDatetime
    category: str
    community: str
    location: str | None = None
    level: str = "street"
    collective: bool = False
    key_person: bool = False
    key_period: bool = False


class NoRoutingRules(LookupError):
    pass


class CaseAssignment:
    def __init__(self, repository: EventSourcedRepository, rules: dict[str, RoutingRules],
                 clock: Clock) -> None:
        self.repository = repository
        self.rules = rules
        self.clock = clock

    async def on_petition_registered(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        petition = PetitionRegisteredView.model_validate(event.data)
        rules = self.rules.get(petition.district)
        if rules is None:
            raise NoRoutingRules(f"district {petition.district!r} has no routing rules")
        facts = CaseFacts.model_validate(
            petition.model_dump(exclude={"occurred_at"}), strict=False)
        command = AssignCase(case_id=petition.case_id, district=petition.district,
                             # Never before the registration, whatever the clocks' skew.
                             at=max(self.clock.now(), petition.occurred_at),
                             category=petition.category,
                             decision=route(facts, rules))
        calendar = WorkingDayCalendar(district=petition.district)
        policy = DeadlinePolicy(district=petition.district)
        metadata = Metadata(actor="system:routing", correlation_id=event.correlationid,
                            causation_id=event.id)
        log.info("case assigned", extra={"case_id": petition.case_id, "event_id": event.id,
                                         "unit_id": command.decision.lead_unit,
                                         "rule_id": command.decision.rule_id})
        await self.repository.execute(
            petition.case_id,
            lambda history: assignment.decide(
                fold(assignment.evolve, assignment.initial_state(), history),  # type: ignore[arg-type]
                command, calendar, policy),
            metadata, conn=conn)
