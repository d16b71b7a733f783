"""Reading a reception day: the office and auditors see whom the leader received; a unit
handler sees the day and its outcomes, never the persons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException

from casebus.access import CASE_READERS, EVERY_CASE_ROLE, Principal, require_roles
from casebus.http_problems import READ_RESPONSES
from services.intake.domain.reception_days import (
    Reception,
    ReceptionDay,
    reception_day_stream,
)
from services.intake.entrypoints.office_deps import Records

router = APIRouter(prefix="/api/v1/reception-days", tags=["reception days"])
AnyCaseRole = Annotated[Principal, Depends(require_roles(*EVERY_CASE_ROLE))]

@router.get("/{day_id}", responses=READ_RESPONSES)
async def reception_day(day_id: str, principal: AnyCaseRole,
                        records: Records) -> dict[str, Any]:
    """The day, its leader and place, and each reception with its outcome; ``person`` and
    ``matter`` only for clerks, leaders and auditors. 404 for another district's day."""
    async with records.repository.store.pool.acquire() as conn:
        day = await records.reception_day(conn, reception_day_stream(principal.district,
                                                                     day_id))
    if day.reception_day_id is None:
        raise HTTPException(404, "no such reception day")
    return view(day, with_persons=principal.role in CASE_READERS)


def view(day: ReceptionDay, *, with_persons: bool) -> dict[str, Any]:
    def reception(r: Reception) -> dict[str, Any]:
        shown = {"reception_id": r.reception_id, "outcome": r.outcome,
                 "registered_case_id": r.registered_case_id, "guided_to": r.guided_to}
        return {**shown, "person": r.person, "matter": r.matter} if with_persons else shown
    return {"reception_day_id": day.reception_day_id, "leader_id": day.leader_id,
            "day": day.day.isoformat() if day.day else None, "place": day.place,
            "held": day.held, "persons_received": len(day.receptions),
            "receptions": [reception(r) for r in day.receptions]}
