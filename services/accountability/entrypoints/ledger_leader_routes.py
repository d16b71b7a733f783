"""A leader's work on a key case: the plan and the leader in charge ("one case, one policy"),
dated progress notes, and the resolution (once, after a plan). Refusals are 409 with the rule:
``plan-before-resolution``, ``resolve-once``. Another district's entry is missing (404)."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Response
from pydantic import BaseModel

from casebus.access import Principal, Role, require_roles
from casebus.commands import Idempotency, IdempotencyKey, run_command
from casebus.http import app_state
from casebus.http_problems import COMMAND_RESPONSES
from casebus.repository import Metadata
from services.accountability.domain import key_case_ledger as ledger
from services.accountability.entrypoints.ledger_routes import CaseId
from services.accountability.entrypoints.ledger_schemas import (
    PlanIn,
    ProgressIn,
    ResolutionIn,
    entry_view,
)
from services.accountability.service_layer.ledger_keeping import KeyCaseLedger

router = APIRouter(prefix="/api/v1/key-cases/{case_id}", tags=["key-case ledger"])
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]
Ledger = Annotated[KeyCaseLedger, Depends(app_state("key_case_ledger"))]
LeaderCommand = ledger.SetPlan | ledger.NoteProgress | ledger.Resolve


@router.post("/plan", responses=COMMAND_RESPONSES)
async def set_plan(case_id: CaseId, body: PlanIn, principal: Leader, desk: Ledger,
                   key: IdempotencyKey, response: Response) -> dict[str, Any]:
    command = ledger.SetPlan(at=desk.clock.now(), district=principal.district, case_id=case_id,
                             plan=body.plan, leader_in_charge=body.leader_in_charge,
                             by=principal.actor)
    return await _run(desk, principal, case_id, body, command, key, response)


@router.post("/progress", responses=COMMAND_RESPONSES)
async def note_progress(case_id: CaseId, body: ProgressIn, principal: Leader, desk: Ledger,
                        key: IdempotencyKey, response: Response) -> dict[str, Any]:
    command = ledger.NoteProgress(at=desk.clock.now(), district=principal.district,
                                  case_id=case_id, note=body.note, by=principal.actor)
    return await _run(desk, principal, case_id, body, command, key, response)


@router.post("/resolution", responses=COMMAND_RESPONSES)
async def resolve(case_id: CaseId, body: ResolutionIn, principal: Leader, desk: Ledger,
                  key: IdempotencyKey, response: Response) -> dict[str, Any]:
    command = ledger.Resolve(at=desk.clock.now(), district=principal.district, case_id=case_id,
                             outcome=body.outcome, by=principal.actor)
    return await _run(desk, principal, case_id, body, command, key, response)


async def _run(desk: KeyCaseLedger, principal: Principal, case_id: str, body: BaseModel,
               command: LeaderCommand, key: Idempotency,
               response: Response) -> dict[str, Any]:
    if (await desk.keeping.entry(None, principal.district, case_id)).entered is None:
        raise HTTPException(404, "no such key case")

    async def action(conn: asyncpg.Connection) -> dict[str, Any]:
        case = await desk.keeping.run(conn, command, Metadata.fresh(principal.actor))
        return entry_view(case)

    answer = await run_command(desk.pool, district=principal.district, idempotency=key,
                               body=body.model_dump(mode="json") | {"case_id": case_id},
                               action=action)
    return answer.send(response)
