"""Reading the key-case ledger (clerks, leaders, auditors of the district): its entries, one
entry, and its totals for a month, quarter or year. Another district's entry is missing."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from casebus.access import CASE_READERS, Principal, require_roles
from casebus.domain.deadlines import CHINA_TZ
from casebus.http import app_state
from casebus.http_problems import LIST_RESPONSES, READ_RESPONSES
from casebus.paging import Page
from services.accountability.adapters import ledger_index
from services.accountability.domain.key_case_totals import BadPeriod, period_named, totals
from services.accountability.entrypoints.ledger_schemas import entry_view
from services.accountability.service_layer.ledger_keeping import KeyCaseLedger

router = APIRouter(prefix="/api/v1/key-cases", tags=["key-case ledger"])
Reader = Annotated[Principal, Depends(require_roles(*CASE_READERS))]
Ledger = Annotated[KeyCaseLedger, Depends(app_state("key_case_ledger"))]
CaseId = Annotated[str, Path(min_length=1, max_length=200)]
PeriodName = Annotated[str, Query(max_length=16, description="2026-03, 2026-Q1 or 2026",
                                  examples=["2026-Q1"])]


@router.get("", responses=LIST_RESPONSES)
async def entries(principal: Reader, ledger: Ledger, page: Page,
                  status: Literal["open", "resolved", "all"] = "open") -> dict[str, Any]:
    case_ids = await ledger_index.listed(ledger.pool, principal.district, status, page.limit,
                                         page.offset)
    shown = [entry_view(await ledger.keeping.entry(None, principal.district, c))
             for c in case_ids]
    return {"status": status, "limit": page.limit, "offset": page.offset, "key_cases": shown}


@router.get("/totals", responses=READ_RESPONSES)
async def period_totals(period: PeriodName, principal: Reader, ledger: Ledger) -> dict[str, Any]:
    try:
        named = period_named(period, CHINA_TZ)
    except BadPeriod as exc:
        raise HTTPException(422, str(exc)) from exc
    listed = await ledger_index.entries(ledger.pool, principal.district, named.end)
    return {"period": period, "start": named.start.isoformat(), "end": named.end.isoformat(),
            **totals(listed, named)}


@router.get("/{case_id}", responses=READ_RESPONSES)
async def entry(case_id: CaseId, principal: Reader, ledger: Ledger) -> dict[str, Any]:
    case = await ledger.keeping.entry(None, principal.district, case_id)
    if case.entered is None:
        raise HTTPException(404, "no such key case")
    return entry_view(case)
