"""Rates for the office (clerks, leaders, auditors): per unit, community or category over a
month, quarter or year, and a group's monthly trend."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from casebus.http_problems import LIST_RESPONSES
from services.reporting.domain.periods import DISTRICT_TIME, BadPeriod
from services.reporting.domain.rate_groups import GroupBy
from services.reporting.entrypoints.dependencies import CaseReader, Page, Service
from services.reporting.entrypoints.rate_examples import RATES, answer
from services.reporting.service_layer import rate_reads

router = APIRouter(prefix="/api/v1", tags=["rates"])

PeriodName = Annotated[str, Query(max_length=10, description="2026-03, 2026-Q1 or 2026",
                                  examples=["2026-03"])]
MonthName = Annotated[str | None, Query(max_length=7, description="last month shown, e.g. "
                                        "2026-03 (default: the current month)")]


@router.get("/rates", responses=LIST_RESPONSES | answer(RATES))
async def rates(principal: CaseReader, service: Service, page: Page, period: PeriodName,
                by: GroupBy = GroupBy.UNIT) -> dict[str, Any]:
    """Every rate of every group (key order) for the period in the district's local time:
    numerator, denominator, exact value and a decimal; ``applicable`` false when nothing
    was in the denominator."""
    try:
        return await rate_reads.rates(service.pool, service.standards, service.records,
                                      principal.district, period, by, page.limit, page.offset)
    except BadPeriod as exc:
        raise HTTPException(422, str(exc)) from exc


Group = Annotated[str | None, Query(max_length=200)]


@router.get("/rates/trend", responses=LIST_RESPONSES)
async def trend(principal: CaseReader, service: Service,
                months: Annotated[int, Query(ge=1, le=36)] = 12,
                unit: Group = None, community: Group = None, category: Group = None,
                until: MonthName = None) -> dict[str, Any]:
    """Rates month by month, oldest first: of one unit, community or category (name at most
    one), or of the whole district."""
    named = [(by, key) for by, key in ((GroupBy.UNIT, unit), (GroupBy.COMMUNITY, community),
                                       (GroupBy.CATEGORY, category)) if key is not None]
    if len(named) > 1:
        raise HTTPException(422, "name at most one of unit, community and category")
    by, key = named[0] if named else (GroupBy.DISTRICT, None)
    last = until or service.clock.now().astimezone(DISTRICT_TIME).strftime("%Y-%m")
    try:
        return await rate_reads.trend(service.pool, service.standards, service.records,
                                      principal.district, last, months, by, key)
    except BadPeriod as exc:
        raise HTTPException(422, str(exc)) from exc
