"""What leaders look at besides cases: reception days (held, persons received, cases
registered from them, per leader) and "cadres into the community" service work (demands
resolved, person-times guided, per community), over a month, quarter or year."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from casebus.http_problems import LIST_RESPONSES
from services.reporting.adapters import office_work_queries as queries
from services.reporting.domain.periods import BadPeriod, parse_period
from services.reporting.entrypoints.dependencies import CaseReader, Page, Service

router = APIRouter(prefix="/api/v1", tags=["reception days and service work"])

PeriodName = Annotated[str, Query(max_length=10, description="2026-03, 2026-Q1 or 2026",
                                  examples=["2026-03"])]


def _days(period: str) -> tuple[str, Any, Any]:
    """The period's first local day and the day after its last (periods start at local
    midnight, so days count exactly)."""
    try:
        span = parse_period(period)
    except BadPeriod as exc:
        raise HTTPException(422, str(exc)) from exc
    return period, span.start.date(), span.end.date()


@router.get("/reception-days/summary", responses=LIST_RESPONSES)
async def reception_summary(principal: CaseReader, service: Service, page: Page,
                            period: PeriodName) -> dict[str, Any]:
    """Reception days scheduled and held, persons received and cases registered from them in
    the caller's district, and the same per leader (paged, by leader id)."""
    name, first, end = _days(period)
    counted = await queries.reception_summary(service.pool, principal.district, first, end,
                                              page.limit, page.offset)
    return {"period": name, "district": principal.district, **counted}


@router.get("/service-work/summary", responses=LIST_RESPONSES)
async def service_work_summary(principal: CaseReader, service: Service, page: Page,
                               period: PeriodName) -> dict[str, Any]:
    """Service-work days, cadre-days, demands resolved and person-times guided in the caller's
    district, and the same per community (paged, by community), as last corrected."""
    name, first, end = _days(period)
    counted = await queries.service_work_summary(service.pool, principal.district, first, end,
                                                 page.limit, page.offset)
    return {"period": name, "district": principal.district, **counted}
