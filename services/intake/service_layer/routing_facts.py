"""What intake learns from routing's public events (consumer ``intake``).

- ``petition.case.accepted.v1``: a unit accepted the case, so only that unit may answer it.
  Applied once (the inbox) and tolerant: the same acceptance twice, or an acceptance of a case
  already answered, closed, merged, not accepted or transferred, changes nothing and is logged.
- ``petition.routing-rules.published.v1``: the district can be routed, so intake registers
  petitions there.
Both are applied in the transaction that records the inbox row.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from pydantic import AwareDatetime, BaseModel, ConfigDict

from casebus.consumer import Handler
from casebus.domain.errors import DomainRuleViolation
from casebus.envelope import CloudEvent
from casebus.repository import Metadata
from services.intake.adapters import routable_districts
from services.intake.domain import Stage
from services.intake.domain.commands import RecordUnitAcceptance
from services.intake.service_layer.cases import CaseHandling

log = logging.getLogger(__name__)

CASE_ACCEPTED = "petition.case.accepted.v1"
RULES_PUBLISHED = "petition.routing-rules.published.v1"


class CaseAcceptedView(BaseModel):
    """The fields of routing's ``petition.case.accepted.v1`` that intake reads."""

    model_config = ConfigDict(extra="ignore")

    case_id: str
    district: str
    occurred_at: AwareDatetime
    unit_id: str


class RulesPublishedView(BaseModel):
    model_config = ConfigDict(extra="ignore")

    district: str
    occurred_at: AwareDatetime
    rules_version: int
    document: dict[str, Any] = {}


class RoutingFacts:
    def __init__(self, cases: CaseHandling) -> None:
        self.cases = cases

    @property
    def handlers(self) -> dict[str, Handler]:
        return {CASE_ACCEPTED: self.on_case_accepted, RULES_PUBLISHED: self.on_rules_published}

    async def on_case_accepted(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        accepted = CaseAcceptedView.model_validate(event.data)
        context = {"case_id": accepted.case_id, "event_id": event.id,
                   "unit_id": accepted.unit_id}
        if (await self.cases.state(conn, accepted.case_id)).stage is Stage.NEW:
            log.info("acceptance of a case intake does not hold: nothing to do", extra=context)
            return
        # The acceptance keeps its own time: it may reach intake after later clerk actions.
        command = RecordUnitAcceptance(case_id=accepted.case_id, district=accepted.district,
                                       at=accepted.occurred_at, unit_id=accepted.unit_id)
        metadata = Metadata(actor=event.actor, correlation_id=event.correlationid,
                            causation_id=event.id)
        try:
            await self.cases.decide(conn, command, metadata)
        except DomainRuleViolation as refusal:
            log.info("unit acceptance not recorded (%s): nothing to do", refusal.rule,
                     extra=context)
            return
        log.info("unit acceptance recorded", extra=context)

    async def on_rules_published(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        published = RulesPublishedView.model_validate(event.data)
        await routable_districts.record(conn, published.district, published.rules_version,
                                        published.occurred_at,
                                        routable_districts.places_in(published.document))
        log.info("district routable", extra={"district": published.district,
                                             "event_id": event.id})
