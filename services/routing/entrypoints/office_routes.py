"""What the petition office (clerk or leader) does with a case: transfer it to another unit,
e.g. when every unit the rules give, the fallback unit too, returned it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from casebus.commands import IdempotencyKey
from casebus.http_problems import COMMAND_RESPONSES
from services.routing.domain.commands import TransferCase
from services.routing.entrypoints.case_command import Office, RoutingService, act
from services.routing.entrypoints.schemas import TransferIn

router = APIRouter(prefix="/api/v1/assignments/{case_id}", tags=["petition office"])


@router.post("/transfer", responses=COMMAND_RESPONSES)
async def transfer(case_id: str, body: TransferIn, principal: Office, service: RoutingService,
                   key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Hand the case to ``to_unit_id`` (a unit of the district's rules, else 409
    "unit-known"); the new unit must accept it, with fresh Art. 23 clocks."""
    return await act(service, principal, case_id, key, response, body.model_dump(),
                     lambda c: TransferCase(case_id=case_id, district=principal.district,
                                            to_unit_id=c.unit(body.to_unit_id).id,
                                            reason=body.reason, at=c.at))
