"""Reporting's HTTP API: the backlog per unit and a case with its events in order."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status

from casebus.access import Principal, Role, ensure_case_visible, require_roles
from services.reporting.adapters import read_models
from services.reporting.bootstrap import Reporting

router = APIRouter(prefix="/api/v1", tags=["reporting"])
Reader = Annotated[Principal, Depends(require_roles(Role.LEADER, Role.AUDITOR, Role.CLERK))]


def reporting(request: Request) -> Reporting:
    service: Reporting = request.app.state.reporting
    return service


Service = Annotated[Reporting, Depends(reporting)]


@router.get("/backlog")
async def backlog(principal: Reader, service: Service) -> dict[str, Any]:
    """Open cases per responsible unit in the caller's district, with overdue acceptances."""
    return await read_models.backlog(service.pool, principal.district, service.clock.now())


@router.get("/cases/{case_id}")
async def case(case_id: str, principal: Reader, service: Service) -> dict[str, Any]:
    found = await read_models.case_with_timeline(service.pool, case_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id}")
    ensure_case_visible(principal, case_id, found["district"])
    return found
