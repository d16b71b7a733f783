"""Breaches and the accountability reviews they open: leaders and auditors list them, a leader
concludes a review with its findings (once: 409 ``review-concluded-once``), naming the person
responsible where the unit's error induced a petition."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response
from pydantic import BaseModel, ConfigDict

from casebus.access import Principal, Role, require_roles
from casebus.commands import IdempotencyKey, run_command
from casebus.domain.decider import fold
from casebus.domain.events import DomainEvent
from casebus.fields import Line, Text
from casebus.http import app_state
from casebus.http_problems import COMMAND_RESPONSES, LIST_RESPONSES
from casebus.paging import Page
from casebus.repository import Metadata
from services.accountability.adapters import letter_index
from services.accountability.bootstrap import LeadingGroup
from services.accountability.domain import breach

router = APIRouter(prefix="/api/v1", tags=["accountability reviews"])
Leader = Annotated[Principal, Depends(require_roles(Role.LEADER))]
Overseer = Annotated[Principal, Depends(require_roles(Role.LEADER, Role.AUDITOR))]
Group = Annotated[LeadingGroup, Depends(app_state("leading_group"))]


class ConclusionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "responsibility_confirmed": True, "induced_by_unit_error": True,
        "responsible_person": "Manager Liu",
        "conclusion": "Two repeat petitions followed answers the unit never delivered."}]})
    responsibility_confirmed: bool
    conclusion: Text
    induced_by_unit_error: bool = False
    responsible_person: Line | None = None


@router.get("/accountability-reviews", responses=LIST_RESPONSES)
async def list_reviews(principal: Overseer, group: Group, page: Page,
                       status: Annotated[str, Query(pattern="^(open|all)$")] = "open",
                       unit: Annotated[str | None, Query(max_length=200)] = None
                       ) -> dict[str, Any]:
    """Breaches of the district with their review (open ones by default), oldest first."""
    rows = await letter_index.list_breaches(group.pool, principal.district, status == "open",
                                            unit, page.limit, page.offset)
    return {"reviews": [review_view(r) for r in rows], "limit": page.limit,
            "offset": page.offset}


@router.post("/accountability-reviews/{review_id}/conclusion", responses=COMMAND_RESPONSES)
async def conclude_review(review_id: Annotated[str, Path(max_length=64)], body: ConclusionIn,
                          principal: Leader, group: Group, key: IdempotencyKey,
                          response: Response) -> dict[str, Any]:
    row = await letter_index.breach_row(group.pool, principal.district, review_id)
    if row is None:
        raise HTTPException(404, "no such review")
    command = breach.ConcludeAccountabilityReview(
        at=group.clock.now(), district=principal.district, breach_id=row["breach_id"],
        **body.model_dump())

    def decision(history: list[DomainEvent]) -> list[breach.BreachEvent]:
        state = fold(breach.evolve, breach.initial_state(),
                     [e for e in history if isinstance(e, breach.BreachEvent)])
        return breach.decide(state, command)

    async def action(conn: asyncpg.Connection) -> dict[str, Any]:
        await group.repository.execute(row["breach_id"], decision,
                                       Metadata.fresh(principal.actor), conn=conn)
        await letter_index.conclude(conn, row["breach_id"], body.model_dump(mode="json"))
        concluded = await letter_index.breach_row(conn, principal.district, review_id)
        assert concluded is not None
        return review_view(concluded)

    answer = await run_command(group.pool, district=principal.district, idempotency=key,
                               body=body.model_dump(mode="json") | {"review_id": review_id},
                               action=action)
    return answer.send(response)


def review_view(row: asyncpg.Record) -> dict[str, Any]:
    return {"review_id": row["review_id"], "breach_id": row["breach_id"],
            "unit_id": row["unit_id"], "letter_id": row["letter_id"],
            "recorded_at": row["recorded_at"].isoformat(), "open": row["review_open"],
            "finding": row["finding"],
            "conclusion": row["conclusion"]}
