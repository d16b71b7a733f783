"""Accountability's HTTP API: the deadline clocks of a case, as they stand now.

Read from the ``clocks`` table (one row per clock, kept with every append). A paused clock's
due instant moves while it is paused (hearing time is not counted), so it is shown as it
would be if the clock resumed now, from its stream and the district's calendar.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends
from pydantic import BaseModel

from casebus.access import EVERY_CASE_ROLE, Principal, ensure_case_visible, require_roles
from casebus.domain.clock_condition import ClockCondition, clock_condition, local_iso
from casebus.domain.clock_events import ClockEvent
from casebus.domain.clock_status import clock_of
from casebus.domain.clocks import ClockPhase, current_due, pauses_until
from casebus.domain.deadlines import ClockKind, days_not_counted
from casebus.http import app_state
from casebus.http_problems import READ_RESPONSES
from services.accountability.adapters import clock_index
from services.accountability.bootstrap import Accountability

router = APIRouter(prefix="/api/v1", tags=["clocks"])
Reader = Annotated[Principal, Depends(require_roles(*EVERY_CASE_ROLE))]
Service = Annotated[Accountability, Depends(app_state("accountability"))]


class ClockView(BaseModel):
    clock_id: str
    kind: ClockKind
    unit_id: str | None
    phase: ClockPhase
    condition: ClockCondition  # running, due-soon, overdue, paused or stopped, now
    started_at: str
    due_at: str  # local time (+08:00); paused: if it resumed now
    warn_at: str | None  # when it is (was) due soon; None while paused
    breached: bool
    on_time: bool | None  # stopped clocks: whether before due
    outcome: str | None  # stopped clocks: "accepted", "answered", "handed over"...
    stopped_at: str | None
    extension_days: int
    days_not_counted: int  # hearing days (Art. 36)


class CaseClocks(BaseModel):
    case_id: str
    clocks: list[ClockView]


@router.get("/cases/{case_id}/clocks", responses=READ_RESPONSES)
async def case_clocks(case_id: str, principal: Reader, service: Service) -> CaseClocks:
    """Every clock of the case, oldest first, with its condition now. Unit handlers see the
    clocks of cases one of whose clocks names their unit."""
    rows = await clock_index.case_clocks(service.pool, case_id)
    ensure_case_visible(principal, case_id, rows[0]["district"] if rows else None,
                        [r["unit_id"] for r in rows if r["unit_id"]])
    now = service.clock.now()
    return CaseClocks(case_id=case_id, clocks=[await _view(service, r, now) for r in rows])


async def _view(service: Accountability, row: asyncpg.Record, now: datetime) -> ClockView:
    due: datetime = row["due_at"]
    not_counted: int = row["days_not_counted"]
    if row["phase"] == ClockPhase.PAUSED:
        due, not_counted = await _as_if_resumed(service, row, now)
    return ClockView(
        clock_id=row["clock_id"], kind=row["kind"], unit_id=row["unit_id"], phase=row["phase"],
        condition=clock_condition(row["phase"], due, row["warn_at"], now),
        started_at=str(local_iso(row["started_at"])), due_at=str(local_iso(due)),
        warn_at=local_iso(row["warn_at"]), breached=row["breached"], on_time=row["on_time"],
        outcome=row["outcome"], stopped_at=local_iso(row["stopped_at"]),
        extension_days=row["extension_days"], days_not_counted=not_counted)


async def _as_if_resumed(service: Accountability, row: asyncpg.Record,
                         now: datetime) -> tuple[datetime, int]:
    keeping = service.keeping
    events = await keeping.repository.load(row["clock_id"])
    clock = clock_of(e for e in events if isinstance(e, ClockEvent))
    if clock is None:  # the row is written with the stream; cannot happen
        return row["due_at"], row["days_not_counted"]
    calendar = await keeping.calendars.calendar(row["district"])
    return (current_due(clock, now, calendar),
            len(days_not_counted(pauses_until(clock, max(now, clock.last_at)))))
