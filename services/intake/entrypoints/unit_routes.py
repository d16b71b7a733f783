"""The responsible unit answers the petition. Its handler receives no personal data: the
answer holds only the case's summary."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Response

from casebus.commands import IdempotencyKey
from casebus.http_problems import COMMAND_RESPONSES
from services.intake.domain.commands import AnswerPetition
from services.intake.entrypoints.bodies import AnswerIn
from services.intake.entrypoints.deps import CommandAnswer, IntakeService, UnitHandler, case_command

router = APIRouter(prefix="/api/v1/petitions/{case_id}", tags=["units"])


@router.post("/answer", response_model=CommandAnswer, responses=COMMAND_RESPONSES)
async def answer(case_id: str, body: AnswerIn, principal: UnitHandler, service: IntakeService,
                 key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Answer for the caller's unit (from the token). Only the unit that accepted the case
    last may answer (409 ``answer-by-accepting-unit``); a unit that never accepted it gets
    404. A claim is answered support / explain / not-support, a suggestion adopted /
    partly-adopted / not-adopted."""
    assert principal.unit_id is not None  # a unit handler's token names the unit
    make = partial(AnswerPetition, unit_id=principal.unit_id, **dict(body))
    return await case_command(service, principal, case_id, key, response, make, body)
