"""Accountability's HTTP API: the deadline clocks of a case, with their status now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status

from casebus.access import Principal, Role, ensure_case_visible, require_roles
from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.clock_events import ClockEvent
from casebus.domain.clock_status import clock_status
from casebus.domain.deadlines import ClockKind
from services.accountability.bootstrap import Accountability
from services.accountability.service_layer.clock_keeping import clock_id

router = APIRouter(prefix="/api/v1", tags=["accountability"])
Reader = Annotated[Principal, Depends(require_roles(Role.LEADER, Role.AUDITOR, Role.CLERK))]


def accountability(request: Request) -> Accountability:
    service: Accountability = request.app.state.accountability
    return service


Service = Annotated[Accountability, Depends(accountability)]


@router.get("/cases/{case_id}/clocks")
async def case_clocks(case_id: str, principal: Reader, service: Service) -> dict[str, Any]:
    now = service.clock.now()
    clocks = []
    for kind in ClockKind:
        events = await service.repository.load(clock_id(case_id, kind))
        if not events:
            continue
        ensure_case_visible(principal, case_id, events[0].district)
        clock_events = [e for e in events if isinstance(e, ClockEvent)]
        state = clock_status(clock_events, now, WorkingDayCalendar(events[0].district))
        clocks.append({"kind": kind, "clock_id": clock_id(case_id, kind),
                       "status": state.__dict__ | {"phase": state.phase.value}})
    if not clocks:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no clocks for case {case_id}")
    return {"case_id": case_id, "clocks": clocks}
