"""The office classifies a petition, or does not accept it."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Response

from casebus.commands import IdempotencyKey
from casebus.http_problems import COMMAND_RESPONSES
from services.intake.domain.commands import NotAcceptPetition, ReclassifyPetition
from services.intake.entrypoints.bodies import ClassificationIn, NonAcceptanceIn
from services.intake.entrypoints.deps import Clerk, CommandAnswer, IntakeService, case_command

router = APIRouter(prefix="/api/v1/petitions/{case_id}", tags=["classification"])


@router.post("/classification", response_model=CommandAnswer, responses=COMMAND_RESPONSES)
async def reclassify(case_id: str, body: ClassificationIn, principal: Clerk,
                     service: IntakeService, key: IdempotencyKey,
                     response: Response) -> dict[str, Any]:
    """Change the kind of matter (suggestion, report, claim) before a unit accepted the case
    (else 409 ``reclassify-before-unit-acceptance``). A report is transferred to the discipline
    inspection and supervision body at once: ``state.stage`` becomes ``transferred``."""
    make = partial(ReclassifyPetition, **dict(body), clerk_id=principal.subject)
    return await case_command(service, principal, case_id, key, response, make, body)


@router.post("/non-acceptance", response_model=CommandAnswer, responses=COMMAND_RESPONSES)
async def not_accept(case_id: str, body: NonAcceptanceIn, principal: Clerk,
                     service: IntakeService, key: IdempotencyKey,
                     response: Response) -> dict[str, Any]:
    """Do not accept the petition (Art. 32), before a unit accepted it. A claim for the courts,
    arbitration or administrative reconsideration is guided there: ``state.guided_to`` names
    the channel (e.g. ``people's court``)."""
    make = partial(NotAcceptPetition, **dict(body))
    return await case_command(service, principal, case_id, key, response, make, body)
