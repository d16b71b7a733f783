"""Random spot checks by the leading group (leaders, auditors): a draw of the unit's cases
closed in a period, reproducible from its seed (given, or chosen here and recorded), and a
finding per drawn case. Stream ``spot-check/<district>/<id>``: another district's is missing."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from uuid import uuid4

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Path, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from casebus.access import Principal, Role, require_roles
from casebus.commands import IdempotencyKey, run_command
from casebus.domain.events import DomainEvent
from casebus.fields import Line, Text
from casebus.http import app_state
from casebus.http_problems import COMMAND_RESPONSES, READ_RESPONSES
from casebus.repository import Metadata
from services.accountability.adapters import case_records
from services.accountability.bootstrap import LeadingGroup
from services.accountability.domain import spot_check as checks

router = APIRouter(prefix="/api/v1", tags=["spot checks"])
Overseer = Annotated[Principal, Depends(require_roles(Role.LEADER, Role.AUDITOR))]
Group = Annotated[LeadingGroup, Depends(app_state("leading_group"))]
CheckId = Annotated[str, Path(pattern="^[0-9a-f]{1,32}$")]


class DrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "unit_id": "gas-company", "period_start": "2026-03-01T00:00:00+08:00",
        "period_end": "2026-04-01T00:00:00+08:00", "sample_size": 5, "seed": 20260401}]})
    unit_id: Line
    period_start: AwareDatetime
    period_end: AwareDatetime
    sample_size: int = Field(ge=-1000, le=200)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)


class FindingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "case_id": "c-1a2b3c", "compliant": False,
        "finding": "The answer was delivered nine days after the unit recorded it."}]})
    case_id: Line
    compliant: bool
    finding: Text


def stream_of(district: str, check_id: str) -> str:
    return f"spot-check/{district}/{check_id}"


@router.post("/spot-checks", status_code=201, responses=COMMAND_RESPONSES)
async def draw(body: DrawIn, principal: Overseer, group: Group, key: IdempotencyKey,
               response: Response) -> dict[str, Any]:
    seed = secrets.randbits(63) if body.seed is None else body.seed
    check_id = uuid4().hex

    async def action(conn: asyncpg.Connection) -> dict[str, Any]:
        command = checks.DrawSpotCheck(
            at=group.clock.now(), district=principal.district, unit_id=body.unit_id,
            period_start=body.period_start, period_end=body.period_end,
            sample_size=body.sample_size, seed=seed)
        records = await case_records.unit_records(conn, principal.district, body.unit_id)
        drawn = checks.draw_spot_check(command, records)
        await group.repository.execute(stream_of(principal.district, check_id),
                                       lambda h: [] if h else drawn,
                                       Metadata.fresh(principal.actor), conn=conn)
        return _view(check_id, [*drawn])

    answer = await run_command(group.pool, district=principal.district, idempotency=key,
                               body=body.model_dump(mode="json"), action=action)
    return answer.send(response)


@router.get("/spot-checks/{check_id}", responses=READ_RESPONSES)
async def read(check_id: CheckId, principal: Overseer, group: Group) -> dict[str, Any]:
    history = await group.repository.load(stream_of(principal.district, check_id))
    if not history:
        raise HTTPException(404, "no such spot check")
    return _view(check_id, history)


@router.post("/spot-checks/{check_id}/findings", responses=COMMAND_RESPONSES)
async def record_finding(check_id: CheckId, body: FindingIn, principal: Overseer, group: Group,
                         key: IdempotencyKey, response: Response) -> dict[str, Any]:
    stream = stream_of(principal.district, check_id)
    if not await group.repository.load(stream):
        raise HTTPException(404, "no such spot check")
    command = checks.RecordSpotCheckFinding(
        at=group.clock.now(), district=principal.district, spot_check_id=check_id,
        case_id=body.case_id, compliant=body.compliant, finding=body.finding)

    def decision(history: list[DomainEvent]) -> list[checks.SpotCheckFindingRecorded]:
        drawn = next((e for e in history if isinstance(e, checks.SpotCheckDrawn)), None)
        return checks.record_finding(
            drawn, [e for e in history if isinstance(e, checks.SpotCheckFindingRecorded)],
            command)

    async def action(conn: asyncpg.Connection) -> dict[str, Any]:
        await group.repository.execute(stream, decision, Metadata.fresh(principal.actor),
                                       conn=conn)
        return _view(check_id, await group.repository.load(stream, conn))

    answer = await run_command(group.pool, district=principal.district, idempotency=key,
                               body=body.model_dump(mode="json") | {"check_id": check_id},
                               action=action)
    return answer.send(response)


def _view(check_id: str, history: list[DomainEvent]) -> dict[str, Any]:
    drawn = next(e for e in history if isinstance(e, checks.SpotCheckDrawn))
    return {"spot_check_id": check_id, **drawn.model_dump(mode="json"),
            "findings": [e.model_dump(mode="json", include={"case_id", "compliant", "finding"})
                         for e in history if isinstance(e, checks.SpotCheckFindingRecorded)]}
