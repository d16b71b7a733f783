"""What every intake route shares: the callers' roles, the wired service, and running one
command on a case (idempotent, one transaction, 404 for a case the caller may not see)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Response
from pydantic import BaseModel

from casebus.access import (
    CASE_READERS,
    OFFICE,
    Principal,
    Role,
    ensure_case_visible,
    require_roles,
)
from casebus.commands import Idempotency, run_command
from casebus.http import app_state
from casebus.repository import Metadata
from services.intake.bootstrap import Intake
from services.intake.domain import PetitionState
from services.intake.service_layer.cases import MakeCommand, Visibility
from services.intake.service_layer.views import CaseSummary, command_answer

Clerk = Annotated[Principal, Depends(require_roles(*OFFICE))]
Reader = Annotated[Principal, Depends(require_roles(*CASE_READERS))]
UnitHandler = Annotated[Principal, Depends(require_roles(Role.UNIT_HANDLER))]
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]


IntakeService = Annotated[Intake, Depends(app_state("intake"))]


class CommandAnswer(BaseModel):
    """Every command's answer: the case, the events it recorded (wire types), the case now."""

    case_id: str
    events: list[str]
    state: CaseSummary


def visible_to(principal: Principal, case_id: str) -> Visibility:
    """404 for a missing case, another district's, or (unit handlers) one their unit never
    accepted: all answer alike."""
    def check(state: PetitionState) -> None:
        ensure_case_visible(principal, case_id, state.district, state.accepted_by)
    return check


async def case_command(service: Intake, principal: Principal, case_id: str,
                       key: Idempotency, response: Response, make: MakeCommand,
                       body: BaseModel | None = None) -> dict[str, Any]:
    async def action(conn: Any) -> dict[str, Any]:
        decided = await service.cases.run(
            conn, case_id=case_id, district=principal.district,
            metadata=Metadata.fresh(principal.actor), visible=visible_to(principal, case_id),
            make=make)
        return command_answer(case_id, decided)

    answer = await run_command(service.pool, district=principal.district, idempotency=key,
                               body=body.model_dump(mode="json") if body else {}, action=action)
    return answer.send(response)
