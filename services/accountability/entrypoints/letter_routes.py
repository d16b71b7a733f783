"""Responsibility letters over HTTP: leaders sign, amend and revoke them; clerks, leaders and
auditors of the district read them. Another district's letter answers 404 like a missing one."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response

from casebus.access import CASE_READERS, Principal, Role, require_roles
from casebus.commands import IdempotencyKey, run_command
from casebus.http import app_state
from casebus.http_problems import COMMAND_RESPONSES, LIST_RESPONSES, READ_RESPONSES
from casebus.paging import Page
from casebus.repository import Metadata
from services.accountability.adapters import letter_index
from services.accountability.bootstrap import LeadingGroup
from services.accountability.domain.letter_targets import LetterTargets
from services.accountability.domain.responsibility_letter import ResponsibilityLetter
from services.accountability.entrypoints.letter_schemas import AmendmentIn, LetterIn, RevocationIn
from services.accountability.service_layer.letter_desk import letter_view

router = APIRouter(prefix="/api/v1", tags=["responsibility letters"])
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]
Reader = Annotated[Principal, Depends(require_roles(*CASE_READERS, Role.AUDITOR))]
Group = Annotated[LeadingGroup, Depends(app_state("leading_group"))]
LetterId = Annotated[str, Path(max_length=200)]


@router.post("/responsibility-letters", status_code=201, responses=COMMAND_RESPONSES)
async def sign_letter(body: LetterIn, principal: Leader, group: Group, key: IdempotencyKey,
                      response: Response) -> dict[str, Any]:
    """Sign the unit's letter for the year (409 ``one-letter-per-unit-and-year``, target rules).
    The letter is assessed at once on the year so far; breaches found are recorded."""
    async def action(conn: Any) -> dict[str, Any]:
        letter = ResponsibilityLetter(
            letter_id=f"letter-{uuid4().hex[:12]}", district=principal.district,
            unit_id=body.unit_id, year=body.year, responsible_person=body.responsible_person,
            targets=LetterTargets(**body.targets.model_dump()))
        return await group.desk.sign(conn, letter, principal.subject, group.clock.now(),
                                     Metadata.fresh(principal.actor))

    answer = await run_command(group.pool, district=principal.district, idempotency=key,
                               body=body.model_dump(mode="json"), action=action)
    return answer.send(response)


@router.post("/responsibility-letters/{letter_id}/amendments", responses=COMMAND_RESPONSES)
async def amend_letter(letter_id: LetterId, body: AmendmentIn,
                       principal: Leader, group: Group, key: IdempotencyKey,
                       response: Response) -> dict[str, Any]:
    """Amend the person or targets (an event; the signed text stays in the history)."""
    row = await letter_index.letter_row(group.pool, principal.district, letter_id)
    if row is None:
        raise HTTPException(404, "no such letter")

    async def action(conn: Any) -> dict[str, Any]:
        letter = ResponsibilityLetter(
            letter_id=letter_id, district=principal.district, unit_id=row["unit_id"],
            year=row["year"], responsible_person=body.responsible_person,
            targets=LetterTargets(**body.targets.model_dump()))
        return await group.desk.amend(conn, letter, body.reason, group.clock.now(),
                                      Metadata.fresh(principal.actor))

    answer = await run_command(group.pool, district=principal.district, idempotency=key,
                               body=body.model_dump(mode="json") | {"letter_id": letter_id},
                               action=action)
    return answer.send(response)


@router.post("/responsibility-letters/{letter_id}/revocation", responses=COMMAND_RESPONSES)
async def revoke_letter(letter_id: LetterId, body: RevocationIn, principal: Leader,
                        group: Group, key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """Revoke the letter (409 ``revoked-letter-is-final`` the second time); a new letter may
    then be signed for the unit and year."""
    if await letter_index.letter_row(group.pool, principal.district, letter_id) is None:
        raise HTTPException(404, "no such letter")

    async def action(conn: Any) -> dict[str, Any]:
        return await group.desk.revoke(conn, principal.district, letter_id, body.reason,
                                       group.clock.now(), Metadata.fresh(principal.actor))

    answer = await run_command(group.pool, district=principal.district, idempotency=key,
                               body=body.model_dump(mode="json") | {"letter_id": letter_id},
                               action=action)
    return answer.send(response)


@router.get("/responsibility-letters", responses=LIST_RESPONSES)
async def list_letters(principal: Reader, group: Group, page: Page,
                       year: Annotated[int | None, Query(ge=1990, le=2999)] = None,
                       unit: Annotated[str | None, Query(max_length=200)] = None
                       ) -> dict[str, Any]:
    rows = await letter_index.list_letters(group.pool, principal.district, year, unit,
                                           page.limit, page.offset)
    return {"letters": [letter_view(r) for r in rows], "limit": page.limit,
            "offset": page.offset}


@router.get("/responsibility-letters/{letter_id}", responses=READ_RESPONSES)
async def read_letter(letter_id: LetterId, principal: Reader, group: Group) -> dict[str, Any]:
    row = await letter_index.letter_row(group.pool, principal.district, letter_id)
    if row is None:
        raise HTTPException(404, "no such letter")
    return letter_view(row)
