"""Registering a petition and reading one (the office's routes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from fastapi.exceptions import RequestValidationError

from casebus.commands import IdempotencyKey, run_command
from casebus.http_problems import COMMAND_RESPONSES, READ_RESPONSES
from casebus.repository import Metadata
from services.intake.adapters import routable_districts
from services.intake.domain import current_state
from services.intake.entrypoints.deps import Clerk, IntakeService, Reader, visible_to
from services.intake.entrypoints.schemas import PetitionCreated, PetitionIn
from services.intake.service_layer.registration import RegistrationRefused
from services.intake.service_layer.views import case_record, summarise

router = APIRouter(prefix="/api/v1", tags=["petitions"])


@router.post("/petitions", status_code=status.HTTP_201_CREATED, response_model=PetitionCreated,
             responses=COMMAND_RESPONSES)
async def register_petition(petition: PetitionIn, principal: Clerk, service: IntakeService,
                            key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Register a petition in the caller's district, classified as a claim (default),
    suggestion or report. A report is transferred to the discipline inspection and supervision
    body at once and its accuser's identity is never published. A likely repeat of an earlier
    case of the same petitioner is suggested (``state.pending_repeat_of``). 422 names the field
    for a ``received_at`` in the future or before 2000, and ``district`` when routing has not
    published rules for the caller's district."""
    request = petition.model_dump(mode="json", exclude_none=True)

    async def register(conn: Any) -> dict[str, Any]:
        return await service.registration.register(
            conn, district=principal.district, clerk_id=principal.subject,
            metadata=Metadata.fresh(principal.actor), request=request)

    try:
        answer = await run_command(service.pool, district=principal.district, idempotency=key,
                                   body=request, action=register)
    except RegistrationRefused as refused:
        raise RequestValidationError([{"loc": ("body", refused.field), "msg": refused.problem,
                                       "type": "value_error"}]) from refused
    response.headers["Location"] = f"/api/v1/petitions/{answer.body['case_id']}"
    return answer.send(response)


@router.get("/registration", responses=READ_RESPONSES)
async def registration_open(principal: Clerk, service: IntakeService) -> dict[str, Any]:
    """Whether the caller's district can register petitions now: intake has learnt that
    routing has rules for it (routing publishes them at start; until intake has read them,
    registering answers 422 on ``district``)."""
    async with service.pool.acquire() as conn:
        routable = await routable_districts.is_routable(conn, principal.district)
    return {"district": principal.district, "open": routable}


@router.get("/petitions/{case_id}", responses=READ_RESPONSES)
async def read_petition(case_id: str, principal: Reader, service: IntakeService) -> dict[str, Any]:
    """The petition as intake knows it: a summary of where it stands, and its events with the
    petitioners' personal data, which no other service receives. For a report the personal
    data and petitioner ids are withheld from every reader."""
    events = await service.repository.load(case_id)
    state = current_state(events)
    visible_to(principal, case_id)(state)
    return {"case_id": case_id, "district": state.district,
            "state": summarise(state).model_dump(mode="json"),
            "events": case_record(events, state)}
