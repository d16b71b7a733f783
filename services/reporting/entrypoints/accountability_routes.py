"""Accountability as the office reads it (clerks, leaders, auditors): breaches of
responsibility letters, the accountability reviews they opened, and the key-case ledger,
projected from accountability's public events."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from casebus.domain.reporting_period import ReportingPeriod
from casebus.http_problems import LIST_RESPONSES
from services.reporting.adapters import accountability_queries as queries
from services.reporting.adapters.accountability_views import (
    breach_item,
    key_case_item,
    review_item,
)
from services.reporting.domain.periods import BadPeriod, parse_period
from services.reporting.entrypoints.dependencies import CaseReader, Page, Service

router = APIRouter(prefix="/api/v1", tags=["accountability"])

PeriodQuery = Annotated[str | None, Query(max_length=10, description="2026-03, 2026-Q1 or 2026",
                                          examples=["2026-03"])]
UnitQuery = Annotated[str | None, Query(max_length=200)]


def invalid(field: str, problem: str) -> RequestValidationError:
    """A 422 naming the query parameter, in the answer every validation error has."""
    return RequestValidationError([{"loc": ("query", field), "msg": problem,
                                    "type": "value_error"}])


def period_of(name: str | None) -> ReportingPeriod | None:
    try:
        return None if name is None else parse_period(name)
    except BadPeriod as exc:
        raise invalid("period", str(exc)) from exc


class BreachOut(BaseModel):
    breach_id: str
    letter_id: str | None
    unit_id: str | None
    target: str | None
    rate: str | None  # the rate a minimum-rate target is about
    measured: str | None
    threshold: str | None
    period: str
    case_ids: list[str]
    recorded_at: str | None
    review_id: str
    review_status: Literal["open", "concluded"] | None


class ReviewOut(BaseModel):
    review_id: str
    breach_id: str
    unit_id: str | None
    opened_at: str | None
    status: Literal["open", "concluded"] | None
    concluded_at: str | None
    responsible_person: str | None
    conclusion: str | None


class KeyCaseOut(BaseModel):
    case_id: str
    reasons: list[str]
    entered_at: str | None
    age_days: int  # local days in the ledger, until resolution or now
    plan: str | None
    leader_in_charge: str | None
    progress_count: int
    last_progress_at: str | None
    resolved_at: str | None


class BreachesOut(BaseModel):
    items: list[BreachOut]
    total: int


class ReviewsOut(BaseModel):
    items: list[ReviewOut]
    total: int


class KeyCasesOut(BaseModel):
    items: list[KeyCaseOut]
    total: int


@router.get("/breaches", response_model=BreachesOut, responses=LIST_RESPONSES)
async def breaches(principal: CaseReader, service: Service, page: Page,
                   period: PeriodQuery = None, unit: UnitQuery = None) -> dict[str, Any]:
    """Breaches of the district's responsibility letters, newest first, with their review's
    status; ``period`` keeps those of assessment periods inside it."""
    total, rows = await queries.breaches(service.pool, principal.district,
                                         period=period_of(period), unit=unit,
                                         limit=page.limit, offset=page.offset)
    return {"items": [breach_item(r) for r in rows], "total": total}


@router.get("/accountability-reviews", response_model=ReviewsOut, responses=LIST_RESPONSES)
async def reviews(principal: CaseReader, service: Service, page: Page,
                  status: Literal["open", "concluded"] | None = None) -> dict[str, Any]:
    """Accountability reviews opened by breaches, newest first (both statuses by default)."""
    total, rows = await queries.reviews(service.pool, principal.district, status=status,
                                        limit=page.limit, offset=page.offset)
    return {"items": [review_item(r) for r in rows], "total": total}


@router.get("/key-cases", response_model=KeyCasesOut, responses=LIST_RESPONSES)
async def key_cases(principal: CaseReader, service: Service, page: Page,
                    status: Literal["open", "resolved"] | None = None) -> dict[str, Any]:
    """The key-case ledger, longest in it first (both statuses by default)."""
    total, rows = await queries.key_cases(service.pool, principal.district, status=status,
                                          limit=page.limit, offset=page.offset)
    now = service.clock.now()
    return {"items": [key_case_item(r, now) for r in rows], "total": total}
