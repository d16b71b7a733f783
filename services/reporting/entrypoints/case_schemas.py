"""What the case answers look like (OpenAPI). Instants are ISO 8601 at +08:00."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from casebus.domain.clock_condition import ClockCondition


class ClockOut(BaseModel):
    clock_id: str
    case_id: str
    kind: str | None
    unit_id: str | None
    phase: str | None
    condition: ClockCondition | None  # None: reporting has not seen the clock start yet
    started_at: str | None
    due_at: str | None
    warn_at: str | None  # when it counts as due soon
    warned: bool  # a warning was given for the current due instant
    breached: bool
    on_time: bool | None
    outcome: str | None
    stopped_at: str | None


class SupervisionOrderOut(BaseModel):
    order_id: str
    issued_by: str
    unit_id: str | None
    due: str
    limit_days: int | None
    issued_at: str


class ExtensionOut(BaseModel):
    days: int
    approved_by: str | None


class AssignmentOut(BaseModel):
    status: str | None  # assigned, accepted, returned, closed; None: not assigned yet
    lead_unit_id: str | None
    assisting_unit_ids: list[str]
    rules_version: int | None
    level: str | None
    assigned_at: str | None
    acceptance_due: str | None
    accepted_at: str | None
    answer_due: str | None
    extension: ExtensionOut | None
    key_case: bool
    key_case_flagged_by: str | None
    supervision_orders: list[SupervisionOrderOut]


class CaseSummaryOut(BaseModel):
    case_id: str
    district: str
    stage: str | None  # None: intake's registration has not reached reporting yet
    matter_kind: str | None
    category: str | None
    community: str | None
    location: str | None
    subject: str | None
    channel: str | None
    collective: bool | None
    skip_level: bool | None
    registered_at: str | None
    merged_into: str | None
    concluded_at: str | None
    unit_id: str | None  # the lead unit
    assisting_unit_ids: list[str]
    assignment_status: str | None


class TimelineEventOut(BaseModel):
    event_id: str
    type: str
    source: str
    occurred_at: str
    data: dict[str, Any]


class CaseOut(CaseSummaryOut):
    as_of: str
    stage_at: str | None
    assignment: AssignmentOut
    units_involved: list[str]  # every unit that held, holds or assists the case
    clocks: list[ClockOut]
    events: list[TimelineEventOut]  # in the order they happened


class UnitCaseOut(CaseSummaryOut):
    role: str  # lead or assisting
    acceptance_due: str | None
    answer_due: str | None
    clocks: list[ClockOut]


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class MyCasesOut(Page):
    district: str
    unit_id: str
    as_of: str
    cases: list[UnitCaseOut]
