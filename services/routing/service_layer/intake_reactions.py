"""How routing reacts to intake's public events (no personal data reaches routing).

- registered: assign the case (not a report: it goes to the discipline inspection body);
- not accepted, merged, closed, withdrawn, transferred to discipline inspection: close the
  assignment if it exists and is open;
- un-merged: reopen the closed assignment on a fresh routing decision.

Each runs in the consumer's transaction with the inbox row. Any event may come twice, and a
fact the state already reflects, or one that cannot apply, is logged and skipped, never
dead-lettered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from pydantic import AwareDatetime, BaseModel, ConfigDict

from casebus.consumer import Handler
from casebus.domain.registered import REGISTERED, routing_place
from casebus.envelope import CloudEvent
from casebus.repository import Metadata
from services.routing.domain.assignment import AssignmentStatus
from services.routing.domain.commands import AssignCase, CloseAssignment, ReopenCase
from services.routing.domain.rerouting import reopening_decision
from services.routing.domain.rules import CaseFacts, route
from services.routing.service_layer.case_assignments import CaseAssignments

log = logging.getLogger(__name__)


class CaseView(BaseModel):
    """The fields every intake case event carries."""

    model_config = ConfigDict(extra="ignore")

    case_id: str
    district: str
    occurred_at: AwareDatetime


class PetitionRegisteredView(CaseView):
    """The fields of ``petition.case.registered`` (v1 or v2) that routing reads."""

    category: str
    community: str
    location: str | None = None  # the place rules may match: ``routing_place``
    level: str = "street"
    collective: bool = False
    key_person: bool = False
    key_period: bool = False
    matter_kind: str = "claim"


CLOSING_REASONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "petition.case.not-accepted.v1":
        lambda d: f"not accepted as a petition ({d.get('reason', 'no reason published')})",
    "petition.case.merged.v1": lambda d: f"merged into case {d.get('into_case_id', '?')}",
    "petition.case.closed.v1": lambda d: "case closed",
    "petition.case.withdrawn.v1": lambda d: "petition withdrawn",
    "petition.case.transferred-to-discipline-inspection.v1":
        lambda d: f"transferred to the discipline inspection body {d.get('body', '')}".strip(),
}


def _metadata(event: CloudEvent) -> Metadata:
    return Metadata(actor="system:routing", correlation_id=event.correlationid,
                    causation_id=event.id)


class IntakeReactions:
    def __init__(self, assignments: CaseAssignments) -> None:
        self.assignments = assignments

    @property
    def handlers(self) -> dict[str, Handler]:
        return {**dict.fromkeys(REGISTERED, self.on_registered),
                "petition.case.unmerged.v1": self.on_unmerged,
                **{wire_type: self.on_concluded for wire_type in CLOSING_REASONS}}

    async def on_registered(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        petition = PetitionRegisteredView.model_validate(
            {**event.data, "location": routing_place(event.data)})
        skip = {"case_id": petition.case_id, "event_id": event.id}
        if petition.matter_kind == "report":
            log.info("a report is not routed (discipline inspection)", extra=skip)
            return
        rules = await self.assignments.rules.current(petition.district, conn)
        if rules is None:  # intake refuses such petitions at the edge; never dead-letter
            log.warning("district %s has no routing rules: case not assigned",
                        petition.district, extra=skip)
            return
        state, version = await self.assignments.known(petition.case_id, conn)
        if state.status is not AssignmentStatus.UNASSIGNED:
            log.info("case already assigned", extra=skip)
            return
        facts = CaseFacts.model_validate(petition.model_dump(
            exclude={"occurred_at", "matter_kind"}), strict=False)
        decision = route(facts, rules)
        await self.assignments.execute(conn, AssignCase(
            case_id=petition.case_id, district=petition.district,
            # Never before the registration, whatever the clocks' skew.
            at=max(self.assignments.clock.now(), petition.occurred_at),
            category=petition.category, decision=decision, community=petition.community,
            location=petition.location, collective=petition.collective,
            key_person=petition.key_person, key_period=petition.key_period), _metadata(event),
            on=(state, version))
        log.info("case assigned", extra={**skip, "unit_id": decision.lead_unit,
                                         "rule_id": decision.rule_id})

    async def on_concluded(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        case = CaseView.model_validate(event.data)
        state, version = await self.assignments.known(case.case_id, conn)
        if state.status in (AssignmentStatus.UNASSIGNED, AssignmentStatus.CLOSED):
            log.info("no open assignment to close (%s)", state.status,
                     extra={"case_id": case.case_id, "event_id": event.id})
            return
        await self.assignments.execute(conn, CloseAssignment(
            case_id=case.case_id, district=case.district,
            at=max(self.assignments.clock.now(), case.occurred_at),
            reason=CLOSING_REASONS[event.type](event.data)), _metadata(event),
            on=(state, version))

    async def on_unmerged(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        case = CaseView.model_validate(event.data)
        skip = {"case_id": case.case_id, "event_id": event.id}
        state, version = await self.assignments.known(case.case_id, conn)
        if state.status is not AssignmentStatus.CLOSED:
            log.info("un-merged case has no closed assignment (%s)", state.status, extra=skip)
            return
        rules = await self.assignments.rules.current(case.district, conn)
        if rules is None:
            log.warning("district %s has no routing rules: case not reopened", case.district,
                        extra=skip)
            return
        await self.assignments.execute(conn, ReopenCase(
            case_id=case.case_id, district=case.district,
            at=max(self.assignments.clock.now(), case.occurred_at),
            decision=reopening_decision(state, rules),
            reason=f"un-merged from case {event.data.get('from_case_id', '?')}"),
            _metadata(event), on=(state, version))
