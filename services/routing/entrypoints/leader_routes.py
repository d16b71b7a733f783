"""What a leader does with a case: decide an extension request, issue a supervision order
(督办), escalate the case one level up, put it on the key-case ledger."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Body, Response

from casebus.commands import IdempotencyKey
from casebus.domain.clock_condition import local_iso
from casebus.http_problems import COMMAND_RESPONSES
from services.routing.domain.assignment import AssignmentState
from services.routing.domain.commands import (
    ApproveExtension,
    EscalateCase,
    FlagAsKeyCase,
    IssueSupervisionOrder,
    RefuseExtension,
)
from services.routing.entrypoints.case_command import Leader, RoutingService, act
from services.routing.entrypoints.schemas import (
    ApprovalIn,
    EscalationIn,
    KeyCaseFlagIn,
    RefusalIn,
    SupervisionOrderIn,
)
from services.routing.service_layer.case_assignments import CaseContext

router = APIRouter(prefix="/api/v1/assignments/{case_id}", tags=["leaders"])


@router.post("/extension-request/approval", responses=COMMAND_RESPONSES)
async def approve_extension(case_id: str, principal: Leader, service: RoutingService,
                            key: IdempotencyKey, response: Response,
                            body: Annotated[ApprovalIn | None, Body()] = None) -> dict[str, Any]:
    """Approve the pending request, before the answer is due; the new ``answer_due`` is the
    one the deadline clock counts (a further period from the end of the original one). The
    approver defaults to the leader named by the token."""
    approver = (body.approver if body is not None else None) or principal.subject
    return await act(service, principal, case_id, key, response, {"approver": approver},
                     lambda c: ApproveExtension(case_id=case_id, district=principal.district,
                                                approver=approver, at=c.at))


@router.post("/extension-request/refusal", responses=COMMAND_RESPONSES)
async def refuse_extension(case_id: str, body: RefusalIn, principal: Leader,
                           service: RoutingService, key: IdempotencyKey,
                           response: Response) -> dict[str, Any]:
    """Refuse the pending request; the unit may ask again."""
    return await act(service, principal, case_id, key, response, body.model_dump(),
                     lambda c: RefuseExtension(case_id=case_id, district=principal.district,
                                               refused_by=principal.subject, reason=body.reason,
                                               at=c.at))


@router.post("/supervision-orders", responses=COMMAND_RESPONSES)
async def issue_supervision_order(case_id: str, body: SupervisionOrderIn, principal: Leader,
                                  service: RoutingService, key: IdempotencyKey,
                                  response: Response) -> dict[str, Any]:
    """Order a unit on the case (default: the one holding it) to act within ``limit_days``
    working or calendar days. The answer names the order and its due instant."""
    def order(c: CaseContext) -> IssueSupervisionOrder:
        unit_id = c.unit(body.unit_id).id if body.unit_id is not None else None
        return IssueSupervisionOrder(
            case_id=case_id, district=principal.district, order_id=f"so-{uuid4().hex[:12]}",
            issued_by=principal.subject, instructions=body.instructions,
            limit_days=body.limit_days, day_count=body.day_count, unit_id=unit_id, at=c.at)

    def issued(after: AssignmentState) -> dict[str, Any]:
        latest = after.supervision_orders[-1]
        return {"order_id": latest.order_id, "unit_id": latest.unit_id,
                "due": local_iso(latest.due)}

    return await act(service, principal, case_id, key, response, body.model_dump(mode="json"),
                     order, also=issued)


@router.post("/escalation", responses=COMMAND_RESPONSES)
async def escalate(case_id: str, body: EscalationIn, principal: Leader, service: RoutingService,
                   key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Move the case one level up to ``unit_id``, a unit of the district's rules at that level
    (409 "unit-known" or "escalate-to-unit-at-level-above" otherwise)."""
    def escalation(c: CaseContext) -> EscalateCase:
        unit = c.unit(body.unit_id)
        return EscalateCase(case_id=case_id, district=principal.district, unit_id=unit.id,
                            unit_level=unit.level, reason=body.reason, at=c.at)

    return await act(service, principal, case_id, key, response, body.model_dump(), escalation)


@router.post("/key-case-flag", responses=COMMAND_RESPONSES)
async def flag_as_key(case_id: str, body: KeyCaseFlagIn, principal: Leader,
                      service: RoutingService, key: IdempotencyKey,
                      response: Response) -> dict[str, Any]:
    """Put the case on the key-case ledger, once."""
    return await act(service, principal, case_id, key, response, body.model_dump(),
                     lambda c: FlagAsKeyCase(case_id=case_id, district=principal.district,
                                             flagged_by=principal.subject, reason=body.reason,
                                             at=c.at))
