"""The case answer with what the petitioner had been told (OpenAPI)."""

from __future__ import annotations

from pydantic import BaseModel

from services.reporting.entrypoints.case_schemas import CaseOut


class ToldOut(BaseModel):
    what: str  # not-accepted, answer, review-decision, reexamination-decision
    event_id: str
    told_at: str
    unit_id: str | None  # the unit that answered
    outcome: str | None
    by: str | None  # the reviewing or re-examining body
    reason: str | None  # not accepted: why
    guided_to: str | None  # not accepted: where the petitioner was guided


class CaseAtOut(CaseOut):
    told_to_petitioner: list[ToldOut]  # in the order told
