"""Reading a case's assignment: its state summarised and its events in order."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from casebus.access import EVERY_CASE_ROLE, Principal, require_roles
from casebus.http_problems import READ_RESPONSES
from services.routing.entrypoints.assignment_view import event_view, summary
from services.routing.entrypoints.case_command import RoutingService, ensure_visible
from services.routing.service_layer.case_assignments import fold_state

router = APIRouter(prefix="/api/v1", tags=["assignments"])
Reader = Annotated[Principal, Depends(require_roles(*EVERY_CASE_ROLE))]


@router.get("/assignments/{case_id}", responses=READ_RESPONSES)
async def read_assignment(case_id: str, principal: Reader,
                          service: RoutingService) -> dict[str, Any]:
    """The case's assignment (404 if routing has none, another district's, or, for a unit
    handler, a case its unit never held nor assisted)."""
    events = await service.assignments.events(case_id)
    state = fold_state(events)
    ensure_visible(principal, case_id, state)
    return {"case_id": case_id, "district": state.district, "state": summary(state),
            "events": [event_view(e) for e in events]}
