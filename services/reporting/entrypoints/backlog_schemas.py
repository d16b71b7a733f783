"""What the backlog and list answers look like (OpenAPI). Instants are ISO 8601 at +08:00."""

from __future__ import annotations

from pydantic import BaseModel

from services.reporting.domain.urgency import Urgency
from services.reporting.entrypoints.case_schemas import ClockOut, Page


class Counts(BaseModel):
    open: int
    due_soon: int  # most pressing clock due soon
    overdue: int  # some clock overdue
    aging: dict[str, int]  # days since registration: 0-7, 8-15, 16-30, 31-60, >60


class UnitBacklog(Counts):
    unit_id: str  # the lead unit


class CommunityBacklog(Counts):
    community: str


class CategoryBacklog(Counts):
    category: str


class BacklogOut(BaseModel):
    district: str
    as_of: str
    total_open: int
    due_soon: int
    overdue: int
    aging: dict[str, int]
    unassigned: int  # open cases no unit holds yet
    units: list[UnitBacklog]
    communities: list[CommunityBacklog]
    categories: list[CategoryBacklog]
    reports_open: int  # reports against officials: not counted above


class BacklogCaseOut(BaseModel):
    case_id: str
    unit_id: str | None
    community: str | None
    category: str | None
    registered_at: str | None
    urgency: Urgency
    clock_id: str | None  # the relevant clock: the earliest due in the listed condition
    clock_kind: str | None
    due_at: str | None


class BacklogCasesOut(Page):
    district: str
    as_of: str
    status: Urgency
    cases: list[BacklogCaseOut]


class ListedClockOut(ClockOut):
    responsible_unit: str | None  # the clock's unit, else the case's lead unit
    community: str | None
    category: str | None


class ClocksOut(Page):
    district: str
    as_of: str
    clocks: list[ListedClockOut]
