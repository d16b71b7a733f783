"""The office records what follows the answer: its delivery, the petitioner's evaluations,
their lapse, and closing the case. Windows are counted on the district's calendar."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Response

from casebus.commands import IdempotencyKey
from casebus.http_problems import COMMAND_RESPONSES
from services.intake.domain.commands import (
    ClosePetition,
    DeliverAnswer,
    EvaluatePetition,
    RecordEvaluationLapsed,
)
from services.intake.entrypoints.bodies import EvaluationIn
from services.intake.entrypoints.deps import Clerk, CommandAnswer, IntakeService, case_command

router = APIRouter(prefix="/api/v1/petitions/{case_id}", tags=["answer and closing"])


@router.post("/delivery", response_model=CommandAnswer, responses=COMMAND_RESPONSES)
async def deliver(case_id: str, principal: Clerk, service: IntakeService, key: IdempotencyKey,
                  response: Response) -> dict[str, Any]:
    """The answer reached the petitioner: the evaluation and review windows open."""
    return await case_command(service, principal, case_id, key, response, DeliverAnswer)


@router.post("/evaluations", response_model=CommandAnswer, responses=COMMAND_RESPONSES)
async def evaluate(case_id: str, body: EvaluationIn, principal: Clerk, service: IntakeService,
                   key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Record the petitioner's evaluation of the petition office or the responsible unit,
    once each, within the evaluation window (409 ``evaluate-within-window``)."""
    make = partial(EvaluatePetition, **dict(body))
    return await case_command(service, principal, case_id, key, response, make, body)


@router.post("/evaluation-lapse", response_model=CommandAnswer, responses=COMMAND_RESPONSES)
async def lapse(case_id: str, principal: Clerk, service: IntakeService, key: IdempotencyKey,
                response: Response) -> dict[str, Any]:
    """The evaluation window has ended: the missing evaluations count as not evaluated."""
    return await case_command(service, principal, case_id, key, response,
                              RecordEvaluationLapsed)


@router.post("/closure", response_model=CommandAnswer, responses=COMMAND_RESPONSES)
async def close(case_id: str, principal: Clerk, service: IntakeService, key: IdempotencyKey,
                response: Response) -> dict[str, Any]:
    """Close a case whose answer is final: delivered, evaluations settled, and (for a claim) no
    review or re-examination pending or still open to the petitioner."""
    return await case_command(service, principal, case_id, key, response, ClosePetition)
