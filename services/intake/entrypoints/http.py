"""Intake's HTTP API: register petitions, read one, forget a petitioner."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response, status

from casebus.access import Principal, Role, ensure_case_visible, require_roles
from casebus.domain.errors import DomainRuleViolation
from casebus.idempotency import IdempotencyKeyReused
from services.intake.bootstrap import Intake
from services.intake.entrypoints.schemas import PetitionCreated, PetitionIn

router = APIRouter(prefix="/api/v1", tags=["petitions"])

Clerk = Annotated[Principal, Depends(require_roles(Role.CLERK, Role.LEADER))]
Reader = Annotated[Principal, Depends(require_roles(Role.CLERK, Role.LEADER, Role.AUDITOR))]
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]


def intake(request: Request) -> Intake:
    service: Intake = request.app.state.intake
    return service


IntakeService = Annotated[Intake, Depends(intake)]


@router.post("/petitions", status_code=status.HTTP_201_CREATED, response_model=PetitionCreated)
async def register_petition(
    petition: PetitionIn, principal: Clerk, service: IntakeService, response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    """Register a petition in the caller's district. Send an ``Idempotency-Key`` header so
    that a retried request creates no second case."""
    try:
        result = await service.registration.register(
            district=principal.district, actor=f"{principal.role}:{principal.subject}",
            request=petition.model_dump(mode="json", exclude_none=True),
            idempotency_key=idempotency_key)
    except IdempotencyKeyReused as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    except DomainRuleViolation as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                            f"{exc.message} (rule {exc.rule})") from exc
    response.headers["Location"] = f"/api/v1/petitions/{result.body['case_id']}"
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return result.body


@router.get("/petitions/{case_id}")
async def read_petition(case_id: str, principal: Reader, service: IntakeService) -> dict[str, Any]:
    """The petition as intake knows it, with its petitioners' personal data (which no other
    service ever receives)."""
    events = await service.repository.load(case_id)
    if not events:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no petition {case_id}")
    ensure_case_visible(principal, case_id, events[0].district)
    return {"case_id": case_id, "district": events[0].district,
            "events": [{"type": e.wire_type(), **e.model_dump(mode="json")} for e in events]}


@router.post("/petitioners/{petitioner_id}/erasure", status_code=status.HTTP_200_OK)
async def erase_petitioner(petitioner_id: str, principal: Leader,
                           service: IntakeService) -> dict[str, Any]:
    """Forget a petitioner (crypto-shredding): history and statistics stay, the person goes."""
    async with service.pool.acquire() as conn, conn.transaction():
        erased = await service.vault.erase_petitioner(conn, principal.district, petitioner_id)
    if erased == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            f"no personal data of {petitioner_id} in district "
                            f"{principal.district}")
    return {"petitioner_id": petitioner_id, "keys_erased": erased}
