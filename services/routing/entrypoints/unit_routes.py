"""What a unit handler does with a case its unit holds: accept it, return it (Art. 23, within
5 working days; the case is re-routed at once), ask for more time (Art. 34), note progress.
The unit is the token's, never the body's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from casebus.access import Principal
from casebus.commands import IdempotencyKey
from casebus.http_problems import COMMAND_RESPONSES
from services.routing.domain.commands import (
    AcceptCase,
    NoteProgress,
    RequestExtension,
    ReturnCase,
)
from services.routing.domain.rerouting import reroute_after_return
from services.routing.entrypoints.case_command import RoutingService, UnitHandler, act
from services.routing.entrypoints.schemas import ExtensionRequestIn, ProgressNoteIn, ReturnIn
from services.routing.service_layer.case_assignments import CaseContext, FollowUp

router = APIRouter(prefix="/api/v1/assignments/{case_id}", tags=["unit handlers"])


def unit_of(principal: Principal) -> str:
    assert principal.unit_id is not None  # a unit handler's token always names its unit
    return principal.unit_id


@router.post("/acceptance", responses=COMMAND_RESPONSES)
async def accept(case_id: str, principal: UnitHandler, service: RoutingService,
                 key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """The unit accepts the case; the time to answer (60 days, Art. 34) starts now."""
    return await act(service, principal, case_id, key, response, {}, lambda c: AcceptCase(
        case_id=case_id, district=principal.district, unit_id=unit_of(principal), at=c.at))


def _next_unit(context: CaseContext) -> FollowUp | None:
    rules = context.rules
    if rules is None:
        return None
    return lambda after: reroute_after_return(after, rules, context.at)


@router.post("/return", responses=COMMAND_RESPONSES)
async def return_case(case_id: str, body: ReturnIn, principal: UnitHandler,
                      service: RoutingService, key: IdempotencyKey,
                      response: Response) -> dict[str, Any]:
    """The case is outside the unit's remit (within 5 working days of the handover, else 409
    "return-within-5-working-days"). It is re-routed at once to the next unit the rules give
    that has not returned it; if none is left, it stays returned for the office to transfer."""
    return await act(service, principal, case_id, key, response, body.model_dump(),
                     lambda c: ReturnCase(case_id=case_id, district=principal.district,
                                          unit_id=unit_of(principal), reason=body.reason,
                                          at=c.at),
                     then=_next_unit)


@router.post("/extension-request", responses=COMMAND_RESPONSES)
async def request_extension(case_id: str, body: ExtensionRequestIn, principal: UnitHandler,
                            service: RoutingService, key: IdempotencyKey,
                            response: Response) -> dict[str, Any]:
    """Ask for one extension of 1-30 days before the answer is due; a leader decides."""
    return await act(service, principal, case_id, key, response, body.model_dump(),
                     lambda c: RequestExtension(case_id=case_id, district=principal.district,
                                                unit_id=unit_of(principal), days=body.days,
                                                reason=body.reason, at=c.at))


@router.post("/progress-notes", responses=COMMAND_RESPONSES)
async def note_progress(case_id: str, body: ProgressNoteIn, principal: UnitHandler,
                        service: RoutingService, key: IdempotencyKey,
                        response: Response) -> dict[str, Any]:
    """Report how handling is going (the unit holding the case only)."""
    return await act(service, principal, case_id, key, response, body.model_dump(),
                     lambda c: NoteProgress(case_id=case_id, district=principal.district,
                                            unit_id=unit_of(principal), note=body.note, at=c.at))
