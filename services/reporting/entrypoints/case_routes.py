"""A case, for anyone who may see it: the office's readers any case of their district, a unit
handler only the cases their unit held, holds or assists. Any other case answers 404 exactly
like a missing one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from casebus.access import ensure_case_visible, not_found
from casebus.http_problems import READ_RESPONSES
from services.reporting.entrypoints.case_schemas import CaseOut
from services.reporting.entrypoints.dependencies import AnyCaseRole, Service
from services.reporting.service_layer.case_reads import case_access, case_answer

router = APIRouter(prefix="/api/v1", tags=["reporting"])


@router.get("/cases/{case_id}", response_model=CaseOut, responses=READ_RESPONSES)
async def read_case(case_id: str, principal: AnyCaseRole, service: Service) -> dict[str, Any]:
    """Stage, matter, place, the responsible units and the assignment, every clock with its
    due and warning instants and condition now, and the case's public events in order."""
    access = await case_access(service.pool, case_id)
    ensure_case_visible(principal, case_id, access.district, access.units)
    answer = await case_answer(service.pool, case_id, service.clock.now())
    if answer is None:
        raise not_found(case_id)
    return answer
