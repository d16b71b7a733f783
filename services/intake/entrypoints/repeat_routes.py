"""Repeat petitions: the suggestions waiting for a clerk, and the clerk's verdict on each."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Response

from casebus.commands import IdempotencyKey, run_command
from casebus.domain.clock_condition import local_iso
from casebus.http_problems import COMMAND_RESPONSES, LIST_RESPONSES
from casebus.paging import Page
from casebus.repository import Metadata
from services.intake.adapters import repeat_suggestions
from services.intake.domain.commands import RejectRepeat, UnmergePetition
from services.intake.entrypoints.bodies import ReasonIn
from services.intake.entrypoints.deps import (
    Clerk,
    CommandAnswer,
    IntakeService,
    Reader,
    case_command,
    visible_to,
)
from services.intake.service_layer.views import command_answer

router = APIRouter(prefix="/api/v1", tags=["repeat petitions"])


class ConfirmationAnswer(CommandAnswer):
    merged: bool
    not_merged_because: str | None  # the rule that kept it apart, when not merged


@router.get("/repeat-suggestions", responses=LIST_RESPONSES)
async def pending_suggestions(principal: Reader, service: IntakeService,
                              page: Page) -> dict[str, Any]:
    """Repeat suggestions of the caller's district awaiting a verdict, oldest first."""
    total, rows = await repeat_suggestions.pending(service.pool, principal.district,
                                                   page.limit, page.offset)
    return {"total": total, "limit": page.limit, "offset": page.offset,
            "suggestions": [{**row, "suggested_at": local_iso(row["suggested_at"])}
                            for row in rows]}


@router.post("/petitions/{case_id}/repeat-suggestion/confirmation",
             response_model=ConfirmationAnswer, responses=COMMAND_RESPONSES)
async def confirm(case_id: str, principal: Clerk, service: IntakeService,
                  key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Confirm the pending suggestion: the petition is a repeat. It is also merged into the
    case it repeats when that case is still open and no unit has accepted this one
    (``merged``); otherwise ``not_merged_because`` names the rule, e.g.
    ``merge-target-must-be-open`` or ``merge-before-unit-acceptance``."""
    async def action(conn: Any) -> dict[str, Any]:
        decided, kept_apart = await service.verdicts.confirm(
            conn, case_id=case_id, district=principal.district, clerk_id=principal.subject,
            metadata=Metadata.fresh(principal.actor), visible=visible_to(principal, case_id))
        return {**command_answer(case_id, decided), "merged": kept_apart is None,
                "not_merged_because": kept_apart}

    answer = await run_command(service.pool, district=principal.district, idempotency=key,
                               body={}, action=action)
    return answer.send(response)


@router.post("/petitions/{case_id}/repeat-suggestion/rejection", response_model=CommandAnswer,
             responses=COMMAND_RESPONSES)
async def reject(case_id: str, body: ReasonIn, principal: Clerk, service: IntakeService,
                 key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Reject the pending suggestion: not a repeat of that case (it is not suggested again)."""
    make = partial(RejectRepeat, clerk_id=principal.subject, reason=body.reason)
    return await case_command(service, principal, case_id, key, response, make, body)


@router.post("/petitions/{case_id}/unmerge", response_model=CommandAnswer,
             responses=COMMAND_RESPONSES)
async def unmerge(case_id: str, body: ReasonIn, principal: Clerk, service: IntakeService,
                  key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Undo a merge made by mistake: the petition is handled on its own again (routing reopens
    it) and is no longer counted as a repeat."""
    make = partial(UnmergePetition, clerk_id=principal.subject, reason=body.reason)
    return await case_command(service, principal, case_id, key, response, make, body)
