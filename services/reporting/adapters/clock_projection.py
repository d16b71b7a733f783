"""Accountability's clock events into one row per clock (``case_clocks``).

A clock's events come in order on one topic; ``last_at`` (the time of its latest event applied)
keeps an older event from undoing a newer one. A warning and a breach are facts that stay.
One exception to the order: when the embedded broker restarts empty, a relay may publish a new
event into it before it notices and republishes its history, so a clock's start can arrive
after its stop. A late start then still fills in what only it knows (kind, unit, start).
"""

from __future__ import annotations

from typing import Any

from casebus.domain.clocks import ClockPhase
from casebus.envelope import CloudEvent
from services.reporting.adapters.event_views import (
    ClockDueMoved,
    ClockFact,
    ClockStarted,
    ClockStopped,
    ClockWarned,
)
from services.reporting.adapters.row_batch import RowBatch

# What only a clock's start knows: a late start fills these in where the row has none.
_STARTED_ONLY = ("kind", "unit_id", "category", "started_at", "due_at", "warn_at")


def record_started(rows: RowBatch, event: CloudEvent) -> None:
    s = ClockStarted.model_validate(event.data)
    # A clock started again (same id) begins afresh: no warning, breach or stop carried over.
    _moved(rows, event, s, {
        "kind": s.kind, "unit_id": s.unit_id, "category": s.category,
        "phase": ClockPhase.RUNNING.value, "started_at": s.started_at, "due_at": s.due_at,
        "warn_at": s.warn_at, "warned_due": None, "breached": False, "on_time": None,
        "outcome": None, "stopped_at": None}, fill=_STARTED_ONLY)


def record_paused(rows: RowBatch, event: CloudEvent) -> None:
    _moved(rows, event, ClockFact.model_validate(event.data), {"phase": ClockPhase.PAUSED.value})


def record_resumed(rows: RowBatch, event: CloudEvent) -> None:
    r = ClockDueMoved.model_validate(event.data)
    _moved(rows, event, r, {"phase": ClockPhase.RUNNING.value, "due_at": r.due_at,
                            "warn_at": r.warn_at})


def record_extended(rows: RowBatch, event: CloudEvent) -> None:
    e = ClockDueMoved.model_validate(event.data)
    _moved(rows, event, e, {"due_at": e.due_at, "warn_at": e.warn_at})


def record_stopped(rows: RowBatch, event: CloudEvent) -> None:
    s = ClockStopped.model_validate(event.data)
    _moved(rows, event, s, {"phase": ClockPhase.STOPPED.value, "due_at": s.due_at,
                            "on_time": s.on_time, "outcome": s.outcome,
                            "stopped_at": event.time})


def record_warned(rows: RowBatch, event: CloudEvent) -> None:
    w = ClockWarned.model_validate(event.data)
    # The due instant warned about: "warned" holds while the clock is still due then.
    rows.accumulate("case_clocks", {"clock_id": w.clock_id},
                    {"case_id": w.case_id, "warned_due": w.due_at}, district=event.district,
                    combine={"warned_due": "greatest"})


def record_breached(rows: RowBatch, event: CloudEvent) -> None:
    b = ClockFact.model_validate(event.data)
    rows.upsert("case_clocks", {"clock_id": b.clock_id}, {"case_id": b.case_id, "breached": True},
                district=event.district)


def _moved(rows: RowBatch, event: CloudEvent, fact: ClockFact, columns: dict[str, Any],
           fill: tuple[str, ...] = ()) -> None:
    rows.upsert("case_clocks", {"clock_id": fact.clock_id}, {"case_id": fact.case_id, **columns},
                district=event.district, guard=("last_at", event.time), fill=fill,
                refused="older than the clock's facts already applied; kept those",
                ids={"case_id": fact.case_id, "event_id": event.id})
