"""Forgetting a petitioner (leaders only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response, status

from casebus.commands import IdempotencyKey, run_command
from casebus.http_problems import responses
from casebus.idempotency import erase_from_answers
from casebus.personal_data import ERASED
from casebus.repository import Metadata
from services.intake.domain.events import PetitionerErased, petitioner_stream
from services.intake.entrypoints.deps import IntakeService, Leader

router = APIRouter(prefix="/api/v1", tags=["personal data"])


@router.post("/petitioners/{petitioner_id}/erasure", status_code=status.HTTP_200_OK,
             responses=responses(401, 403, 404, 422, 503))
async def erase_petitioner(petitioner_id: str, principal: Leader, service: IntakeService,
                           key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Forget a petitioner (crypto-shredding): their details, their identity, and the text of
    cases nobody else is left on can no longer be read; history and statistics stay. Recorded
    as ``petition.petitioner.erased.v1`` (no personal data). Asked again: 200, already erased."""
    async def erase(conn: Any) -> dict[str, Any]:
        erasure = await service.vault.erase_petitioner(conn, principal.district, petitioner_id)
        if erasure is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND,
                                f"no petitioner {petitioner_id} in district {principal.district}")
        # Answers kept for retries show the case's subject: it goes with the case's text.
        await erase_from_answers(conn, principal.district, list(erasure.case_ids),
                                 ["state", "subject"], ERASED)
        if erasure.already_erased:
            return {"petitioner_id": petitioner_id, "status": "already erased",
                    "keys_erased": 0}
        erased = PetitionerErased(district=principal.district, occurred_at=service.clock.now(),
                                  petitioner_id=petitioner_id, keys_erased=erasure.keys_erased,
                                  erased_by=principal.subject)
        await service.repository.execute(petitioner_stream(petitioner_id), lambda _: [erased],
                                         Metadata.fresh(principal.actor), conn=conn)
        return {"petitioner_id": petitioner_id, "status": "erased",
                "keys_erased": erasure.keys_erased}

    answer = await run_command(service.pool, district=principal.district, idempotency=key,
                               body={"petitioner_id": petitioner_id}, action=erase)
    return answer.send(response)
