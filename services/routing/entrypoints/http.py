"""Routing's HTTP API: a case's assignment, and the district's routing rules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status

from casebus.access import Principal, Role, ensure_case_visible, require_roles
from services.routing.bootstrap import Routing

router = APIRouter(prefix="/api/v1", tags=["routing"])
Reader = Annotated[Principal, Depends(require_roles(Role.CLERK, Role.LEADER, Role.AUDITOR,
                                                    Role.UNIT_HANDLER))]


def routing(request: Request) -> Routing:
    service: Routing = request.app.state.routing
    return service


RoutingService = Annotated[Routing, Depends(routing)]


@router.get("/assignments/{case_id}")
async def read_assignment(case_id: str, principal: Reader,
                          service: RoutingService) -> dict[str, Any]:
    events = await service.repository.load(case_id)
    if not events:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"case {case_id} is not assigned (yet)")
    ensure_case_visible(principal, case_id, events[0].district)
    return {"case_id": case_id,
            "events": [{"type": e.wire_type(), **e.model_dump(mode="json")} for e in events]}


@router.get("/routing-rules")
async def read_rules(principal: Reader, service: RoutingService) -> dict[str, Any]:
    rules = service.assignment.rules.get(principal.district)
    if rules is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            f"district {principal.district} has no routing rules")
    return rules.model_dump(mode="json")
