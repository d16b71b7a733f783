"""Leaders' reception days: the office (a leader or a clerk) schedules one, records whom the
leader received and what came of it, and closes the day once held."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any
from uuid import uuid4

import asyncpg
from fastapi import APIRouter, HTTPException, Response
from pydantic import BaseModel

from casebus.access import Principal
from casebus.commands import Idempotency, IdempotencyKey
from casebus.domain.events import DomainEvent
from casebus.http_problems import COMMAND_RESPONSES
from casebus.repository import Metadata
from services.intake.domain import reception_decisions as decide
from services.intake.domain.reception_days import ReceptionDay, reception_day_stream
from services.intake.entrypoints.deps import Clerk
from services.intake.entrypoints.office_bodies import (
    OfficeAnswer,
    ReceptionDayIn,
    ReceptionIn,
    ReceptionOutcomeIn,
)
from services.intake.entrypoints.office_deps import Records, office_command
from services.intake.service_layer.office_records import OfficeRecords

router = APIRouter(prefix="/api/v1/reception-days", tags=["reception days"])


async def _scheduled(records: OfficeRecords, conn: asyncpg.Connection, stream: str) -> None:
    """Another district's day is not in the caller's streams: it answers like a missing one."""
    if (await records.reception_day(conn, stream)).reception_day_id is None:
        raise HTTPException(404, "no such reception day")


@router.post("", status_code=201, response_model=OfficeAnswer, responses=COMMAND_RESPONSES)
async def schedule(body: ReceptionDayIn, principal: Clerk, records: Records,
                   key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Schedule a leader's reception day: who receives, on which day, where."""
    day_id = f"rd-{uuid4().hex[:12]}"
    clock = records.cases.clock

    async def action(conn: asyncpg.Connection, metadata: Metadata) -> dict[str, Any]:
        done = await records.decide_reception_day(
            conn, reception_day_stream(principal.district, day_id), metadata,
            partial(decide.schedule, reception_day_id=day_id, district=principal.district,
                    leader_id=body.leader_id, day=body.day, place=body.place,
                    by=principal.subject, at=clock.now()))
        return {"id": day_id, **done}
    return await office_command(records, principal, key, response, body, action)


@router.post("/{day_id}/receptions", status_code=201, response_model=OfficeAnswer,
             responses=COMMAND_RESPONSES)
async def receive(day_id: str, body: ReceptionIn, principal: Clerk, records: Records,
                  key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Record a person the leader received and their matter (sealed, never published); 409
    ``reception-on-a-scheduled-day`` once the day was held and closed."""
    reception_id = f"rc-{uuid4().hex[:12]}"
    decision = partial(decide.receive, reception_id=reception_id, person=body.person,
                       matter=body.matter, by=principal.subject, at=records.cases.clock.now())
    return await _on_day(day_id, principal, records, key, response, body,
                         _deciding(records, decision), reception_id)


@router.post("/{day_id}/receptions/{reception_id}/outcome", response_model=OfficeAnswer,
             responses=COMMAND_RESPONSES)
async def outcome(day_id: str, reception_id: str, body: ReceptionOutcomeIn, principal: Clerk,
                  records: Records, key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """What came of a reception: registered as a case (a case of this district registered
    with channel ``reception-day``: else 409 ``case-registered-in-district`` or
    ``case-registered-at-reception-day``), answered on the spot, or guided elsewhere.
    One outcome per reception (409 ``one-outcome-per-reception``)."""
    async def action(conn: asyncpg.Connection, stream: str,
                     metadata: Metadata) -> dict[str, Any]:
        case = await records.registered_case(conn, body.case_id) if body.case_id else None
        return await records.decide_reception_day(conn, stream, metadata, partial(
            decide.record_outcome, reception_id=reception_id, outcome=body.outcome, case=case,
            case_id=body.case_id, guided_to=body.guided_to, by=principal.subject,
            at=records.cases.clock.now()))
    return await _on_day(day_id, principal, records, key, response, body, action,
                         reception_id)


@router.post("/{day_id}/held", response_model=OfficeAnswer, responses=COMMAND_RESPONSES)
async def held(day_id: str, principal: Clerk, records: Records, key: IdempotencyKey,
               response: Response) -> dict[str, Any]:
    """The day was held: close it (409 ``reception-day-held-once`` the second time)."""
    decision = partial(decide.hold, by=principal.subject, at=records.cases.clock.now())
    return await _on_day(day_id, principal, records, key, response, None,
                         _deciding(records, decision))


DayAction = Callable[[asyncpg.Connection, str, Metadata], Awaitable[dict[str, Any]]]


def _deciding(records: OfficeRecords,
              decision: Callable[[ReceptionDay], Sequence[DomainEvent]]) -> DayAction:
    async def action(conn: asyncpg.Connection, stream: str,
                     metadata: Metadata) -> dict[str, Any]:
        return await records.decide_reception_day(conn, stream, metadata, decision)
    return action


async def _on_day(day_id: str, principal: Principal, records: OfficeRecords,
                  key: Idempotency, response: Response, body: BaseModel | None,
                  action: DayAction, reception_id: str | None = None) -> dict[str, Any]:
    stream = reception_day_stream(principal.district, day_id)

    async def run(conn: asyncpg.Connection, metadata: Metadata) -> dict[str, Any]:
        await _scheduled(records, conn, stream)
        return {"id": day_id, "reception_id": reception_id,
                **await action(conn, stream, metadata)}
    return await office_command(records, principal, key, response, body, run)
