"""A case, for anyone who may see it: the office's readers any case of their district, a unit
handler only the cases their unit held, holds or assists. Any other case answers 404 exactly
like a missing one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from casebus.access import ensure_case_visible, not_found
from casebus.http_problems import READ_RESPONSES
from services.reporting.domain.as_of import NotAnInstant, as_of_instant
from services.reporting.entrypoints.case_history_schemas import CaseAtOut
from services.reporting.entrypoints.dependencies import AnyCaseRole, Service
from services.reporting.service_layer.case_as_of import case_as_of
from services.reporting.service_layer.case_reads import case_access, case_answer

router = APIRouter(prefix="/api/v1", tags=["reporting"])
AS_OF = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]{2,15}(Z|[+-][0-9]{2}:?[0-9]{2}))?$"


@router.get("/cases/{case_id}", response_model=CaseAtOut, responses=READ_RESPONSES)
async def read_case(case_id: str, principal: AnyCaseRole, service: Service,
                    as_of: Annotated[str | None, Query(
                        max_length=40, pattern=AS_OF, examples=[
                            "2026-03-05", "2026-03-05T10:00:00+08:00"],
                        description="the case as it stood then: a day (its end, in the "
                        "district's time zone) or an instant with its offset; a later one "
                        "than now is answered as of now")] = None) -> dict[str, Any]:
    """Stage, matter, place, the responsible units and the assignment, every clock with its
    due and warning instants and condition now (or ``as_of``), the case's public events in
    order, and what the petitioner had been told."""
    now = service.clock.now()
    at = None if as_of is None else _instant(as_of, now)
    access = await case_access(service.pool, case_id)
    ensure_case_visible(principal, case_id, access.district, access.units)
    if at is None:
        answer = await case_answer(service.pool, case_id, now)
    else:
        assert access.district is not None
        answer = await case_as_of(service.pool, case_id, access.district, at)
    if answer is None:
        raise not_found(case_id)
    return answer


def _instant(text: str, now: datetime) -> datetime:
    try:
        return as_of_instant(text, now)
    except NotAnInstant as exc:
        raise RequestValidationError([{"loc": ("query", "as_of"), "msg": str(exc),
                                       "type": "value_error"}]) from exc
