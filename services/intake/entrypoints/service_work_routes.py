"""Service work of "cadres into the community" days: the office records a community's day and
corrects it by new events; the office and auditors read it."""

from __future__ import annotations

from functools import partial
from typing import Any
from uuid import uuid4

import asyncpg
from fastapi import APIRouter, HTTPException, Response

from casebus.commands import IdempotencyKey
from casebus.http_problems import COMMAND_RESPONSES, READ_RESPONSES
from casebus.repository import Metadata
from services.intake.domain import service_work as decide
from services.intake.domain.service_work import ServiceWork, Tally, service_work_stream
from services.intake.entrypoints.deps import Clerk, Reader
from services.intake.entrypoints.office_bodies import (
    OfficeAnswer,
    ServiceWorkCorrectionIn,
    ServiceWorkIn,
)
from services.intake.entrypoints.office_deps import Records, office_command

router = APIRouter(prefix="/api/v1/service-work", tags=["service work"])


@router.post("", status_code=201, response_model=OfficeAnswer, responses=COMMAND_RESPONSES)
async def record(body: ServiceWorkIn, principal: Clerk, records: Records, key: IdempotencyKey,
                 response: Response) -> dict[str, Any]:
    """Record a community's service-work day: the cadres who went, demands resolved,
    person-times guided (each 0..1,000,000), notes (kept as personal data)."""
    work_id = f"sw-{uuid4().hex[:12]}"
    tally = Tally(tuple(body.cadres), body.demands_resolved, body.persons_guided)

    async def action(conn: asyncpg.Connection, metadata: Metadata) -> dict[str, Any]:
        done = await records.decide_service_work(
            conn, service_work_stream(principal.district, work_id), metadata, partial(
                decide.record, service_work_id=work_id, district=principal.district,
                community=body.community, day=body.day, tally=tally, notes=body.notes,
                by=principal.subject, at=records.cases.clock.now()))
        return {"id": work_id, **done}
    return await office_command(records, principal, key, response, body, action)


@router.post("/{work_id}/corrections", response_model=OfficeAnswer,
             responses=COMMAND_RESPONSES)
async def correct(work_id: str, body: ServiceWorkCorrectionIn, principal: Clerk,
                  records: Records, key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Correct the tally: a new event with the whole corrected tally and the reason; what was
    recorded first stays in the history. 404 for another district's record."""
    stream = service_work_stream(principal.district, work_id)
    tally = Tally(tuple(body.cadres), body.demands_resolved, body.persons_guided)

    async def action(conn: asyncpg.Connection, metadata: Metadata) -> dict[str, Any]:
        if (await records.service_work(conn, stream)).service_work_id is None:
            raise HTTPException(404, "no such service work")
        done = await records.decide_service_work(conn, stream, metadata, partial(
            decide.correct, tally=tally, reason=body.reason, by=principal.subject,
            at=records.cases.clock.now()))
        return {"id": work_id, **done}
    return await office_command(records, principal, key, response, body, action)


@router.get("/{work_id}", responses=READ_RESPONSES)
async def service_work(work_id: str, principal: Reader, records: Records) -> dict[str, Any]:
    """The record as corrected last, with its revision (0: never corrected)."""
    async with records.repository.store.pool.acquire() as conn:
        work = await records.service_work(conn, service_work_stream(principal.district, work_id))
    if work.service_work_id is None:
        raise HTTPException(404, "no such service work")
    return view(work)


def view(work: ServiceWork) -> dict[str, Any]:
    return {"service_work_id": work.service_work_id, "community": work.community,
            "day": work.day.isoformat() if work.day else None,
            "cadres": list(work.tally.cadres), "demands_resolved": work.tally.demands_resolved,
            "persons_guided": work.tally.persons_guided, "revision": work.revision,
            "notes": work.notes}
