"""Accountability's clock events into one row per clock (``case_clocks``).

A clock's events come in order on one topic; ``last_at`` (the time of its latest event applied)
keeps an older event from undoing a newer one. A warning and a breach are facts that stay.
One exception to the order: when the embedded broker restarts empty, a relay may publish a new
event into it before it notices and republishes its history, so a clock's start can arrive
after its stop. A late start then still fills in what only it knows (kind, unit, start).
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg

from casebus.domain.clocks import ClockPhase
from casebus.envelope import CloudEvent
from services.reporting.adapters.case_rows import upsert
from services.reporting.adapters.event_views import (
    ClockDueMoved,
    ClockFact,
    ClockStarted,
    ClockStopped,
    ClockWarned,
)

log = logging.getLogger(__name__)


async def record_started(conn: asyncpg.Connection, event: CloudEvent) -> None:
    s = ClockStarted.model_validate(event.data)
    # A clock started again (same id) begins afresh: no warning, breach or stop carried over.
    if not await _moved(conn, event, s, {
            "kind": s.kind, "unit_id": s.unit_id, "category": s.category,
            "phase": ClockPhase.RUNNING.value, "started_at": s.started_at, "due_at": s.due_at,
            "warn_at": s.warn_at, "warned_due": None, "breached": False, "on_time": None,
            "outcome": None, "stopped_at": None}):
        await conn.execute(
            """UPDATE case_clocks SET kind = coalesce(kind, $2),
                   unit_id = coalesce(unit_id, $3), category = coalesce(category, $4),
                   started_at = coalesce(started_at, $5), due_at = coalesce(due_at, $6),
                   warn_at = coalesce(warn_at, $7)
               WHERE clock_id = $1""",
            s.clock_id, s.kind, s.unit_id, s.category, s.started_at, s.due_at, s.warn_at)


async def record_paused(conn: asyncpg.Connection, event: CloudEvent) -> None:
    await _moved(conn, event, ClockFact.model_validate(event.data),
                 {"phase": ClockPhase.PAUSED.value})


async def record_resumed(conn: asyncpg.Connection, event: CloudEvent) -> None:
    r = ClockDueMoved.model_validate(event.data)
    await _moved(conn, event, r, {"phase": ClockPhase.RUNNING.value, "due_at": r.due_at,
                                  "warn_at": r.warn_at})


async def record_extended(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = ClockDueMoved.model_validate(event.data)
    await _moved(conn, event, e, {"due_at": e.due_at, "warn_at": e.warn_at})


async def record_stopped(conn: asyncpg.Connection, event: CloudEvent) -> None:
    s = ClockStopped.model_validate(event.data)
    await _moved(conn, event, s, {"phase": ClockPhase.STOPPED.value, "due_at": s.due_at,
                                  "on_time": s.on_time, "outcome": s.outcome,
                                  "stopped_at": event.time})


async def record_warned(conn: asyncpg.Connection, event: CloudEvent) -> None:
    w = ClockWarned.model_validate(event.data)
    # The due instant warned about: "warned" holds while the clock is still due then.
    await conn.execute(
        """INSERT INTO case_clocks (clock_id, case_id, district, warned_due)
           VALUES ($1, $2, $3, $4) ON CONFLICT (clock_id) DO UPDATE
           SET warned_due = greatest(case_clocks.warned_due, excluded.warned_due)""",
        w.clock_id, w.case_id, event.district, w.due_at)


async def record_breached(conn: asyncpg.Connection, event: CloudEvent) -> None:
    b = ClockFact.model_validate(event.data)
    await upsert(conn, "case_clocks", {"clock_id": b.clock_id},
                 {"case_id": b.case_id, "breached": True}, district=event.district)


async def _moved(conn: asyncpg.Connection, event: CloudEvent, fact: ClockFact,
                 columns: dict[str, Any]) -> bool:
    applied = await upsert(conn, "case_clocks", {"clock_id": fact.clock_id},
                           {"case_id": fact.case_id, **columns}, district=event.district,
                           guard=("last_at", event.time))
    if not applied:
        log.info("older than the clock's facts already applied; kept those",
                 extra={"case_id": fact.case_id, "event_id": event.id})
    return applied
