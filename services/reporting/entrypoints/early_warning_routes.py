"""The early warnings of the caller's district, newest first (from the faust worker)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from casebus.http_problems import LIST_RESPONSES
from services.reporting.adapters import early_warnings
from services.reporting.entrypoints.dependencies import CaseReader, Page, Service

router = APIRouter(prefix="/api/v1", tags=["early warning"])


@router.get("/early-warnings", responses=LIST_RESPONSES)
async def warnings(principal: CaseReader, service: Service, page: Page) -> dict[str, Any]:
    """Brewing collective petitions (several petitioners on one matter in one community within
    a window) and surges of cases handed to one unit, with the cases behind each."""
    total, rows = await early_warnings.listed(service.pool, principal.district, page.limit,
                                              page.offset)
    return {"district": principal.district, "total": total, "limit": page.limit,
            "offset": page.offset, "early_warnings": rows}
