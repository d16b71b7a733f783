"""The office's overview (leaders, auditors, clerks): the backlog, the cases behind its counts,
and the overdue and due-soon clocks. Reports against officials are not counted here."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query

from casebus.domain.clock_condition import ClockCondition
from casebus.domain.deadlines import ClockKind
from casebus.http_problems import LIST_RESPONSES
from services.reporting.domain.urgency import Urgency
from services.reporting.entrypoints.backlog_schemas import (
    BacklogCasesOut,
    BacklogOut,
    ClocksOut,
)
from services.reporting.entrypoints.dependencies import CaseReader, Page, Service
from services.reporting.service_layer import backlog_reads

router = APIRouter(prefix="/api/v1", tags=["reporting"])

Unit = Annotated[str | None, Query(description="the lead unit (clocks: the clock's unit)")]
Community = Annotated[str | None, Query()]
Category = Annotated[str | None, Query()]


class ListedCondition(StrEnum):
    OVERDUE = ClockCondition.OVERDUE.value
    DUE_SOON = ClockCondition.DUE_SOON.value


@router.get("/backlog", response_model=BacklogOut, responses=LIST_RESPONSES)
async def backlog(principal: CaseReader, service: Service) -> dict[str, Any]:
    """Open, due-soon and overdue cases and their ages, for the district and per lead unit,
    community and category."""
    return await backlog_reads.backlog(service.pool, principal.district, service.clock.now())


@router.get("/backlog/cases", response_model=BacklogCasesOut, responses=LIST_RESPONSES)
async def backlog_cases(principal: CaseReader, service: Service, page: Page,
                        unit: Unit = None, community: Community = None,
                        category: Category = None, status: Urgency = Urgency.OPEN
                        ) -> dict[str, Any]:
    """The open cases behind a backlog count, soonest relevant due instant first."""
    return await backlog_reads.backlog_cases(
        service.pool, principal.district, service.clock.now(), status=status, unit=unit,
        community=community, category=category, limit=page.limit, offset=page.offset)


@router.get("/clocks", response_model=ClocksOut, responses=LIST_RESPONSES)
async def clocks(principal: CaseReader, service: Service, page: Page,
                 condition: ListedCondition | None = None, unit: Unit = None,
                 community: Community = None, category: Category = None,
                 kind: ClockKind | None = None) -> dict[str, Any]:
    """Overdue and due-soon clocks of open cases (both unless ``condition`` says which),
    soonest due first."""
    return await backlog_reads.clocks(
        service.pool, principal.district, service.clock.now(),
        condition=ClockCondition(condition) if condition else None, unit=unit,
        community=community, category=category, kind=kind.value if kind else None,
        limit=page.limit, offset=page.offset)
