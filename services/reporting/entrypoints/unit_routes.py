"""A unit handler's own work list: the unit is the one named by the token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from casebus.http_problems import LIST_RESPONSES
from services.reporting.entrypoints.case_schemas import MyCasesOut
from services.reporting.entrypoints.dependencies import Page, Service, UnitHandler
from services.reporting.service_layer.case_reads import unit_cases

router = APIRouter(prefix="/api/v1", tags=["reporting"])


@router.get("/my-cases", response_model=MyCasesOut, responses=LIST_RESPONSES)
async def my_cases(principal: UnitHandler, service: Service, page: Page) -> dict[str, Any]:
    """The open cases assigned to my unit, as lead or assisting (returned or closed
    assignments are not), oldest assignment first, each with its clocks and their condition
    now (running, due-soon, overdue, paused, stopped)."""
    assert principal.unit_id is not None  # a unit handler's token always names the unit
    return await unit_cases(service.pool, principal.district, principal.unit_id,
                            service.clock.now(), page.limit, page.offset)
