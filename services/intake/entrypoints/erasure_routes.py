"""Forgetting a petitioner (leaders only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status

from casebus.http_problems import responses
from services.intake.entrypoints.deps import IntakeService, Leader

router = APIRouter(prefix="/api/v1", tags=["personal data"])


@router.post("/petitioners/{petitioner_id}/erasure", status_code=status.HTTP_200_OK,
             responses=responses(401, 403, 404, 503))
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
