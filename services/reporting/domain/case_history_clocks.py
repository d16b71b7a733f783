"""A case's clocks as they stood, folded from accountability's clock events as
``adapters/clock_projection`` projects them: a clock's moves guarded by ``last_at``, a warning
and a breach facts that stay, a start arriving late filling in only what it alone knows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casebus.domain.clocks import ClockPhase
from services.reporting.domain.case_history import (
    CLOCK_COLUMNS,
    CaseHistory,
    TimelineEvent,
    guarded,
    instant,
)

Fold = Callable[[CaseHistory, TimelineEvent], None]


def _clock(h: CaseHistory, e: TimelineEvent) -> dict[str, Any]:
    clock_id = e.data["clock_id"]
    if clock_id not in h.clocks:
        h.clocks[clock_id] = {"clock_id": clock_id, "case_id": e.data["case_id"],
                              **dict.fromkeys(CLOCK_COLUMNS), "breached": False}
    return h.clocks[clock_id]


def _clock_moved(columns: Callable[[dict[str, Any], TimelineEvent], dict[str, Any]]) -> Fold:
    def fold(h: CaseHistory, e: TimelineEvent) -> None:
        guarded(_clock(h, e), "last_at", e.occurred_at, columns(e.data, e))
    return fold


def _started(h: CaseHistory, e: TimelineEvent) -> None:
    d, clock = e.data, _clock(h, e)
    facts = {"kind": d["kind"], "unit_id": d.get("unit_id"), "category": d.get("category"),
             "started_at": instant(d, "started_at"), "due_at": instant(d, "due_at"),
             "warn_at": instant(d, "warn_at")}
    # Started again (same id): afresh. A start arriving after a later event only fills gaps.
    if not guarded(clock, "last_at", e.occurred_at, {
            **facts, "phase": ClockPhase.RUNNING.value, "warned_due": None, "breached": False,
            "on_time": None, "outcome": None, "stopped_at": None}):
        clock.update({k: v if clock[k] is None else clock[k] for k, v in facts.items()})


def _warned(h: CaseHistory, e: TimelineEvent) -> None:
    clock = _clock(h, e)
    dues = [d for d in (clock["warned_due"], instant(e.data, "due_at")) if d is not None]
    clock["warned_due"] = max(dues) if dues else None  # as SQL's greatest(): nulls ignored


def _breached(h: CaseHistory, e: TimelineEvent) -> None:
    _clock(h, e)["breached"] = True


def _due_moved(d: dict[str, Any], _: TimelineEvent) -> dict[str, Any]:
    return {"due_at": instant(d, "due_at"), "warn_at": instant(d, "warn_at")}


CLOCK_FOLDS: dict[str, Fold] = {
    "petition.clock.started.v1": _started,
    "petition.clock.paused.v1": _clock_moved(lambda d, e: {"phase": ClockPhase.PAUSED.value}),
    "petition.clock.resumed.v1": _clock_moved(
        lambda d, e: {"phase": ClockPhase.RUNNING.value, **_due_moved(d, e)}),
    "petition.clock.extended.v1": _clock_moved(_due_moved),
    "petition.clock.warned.v1": _warned,
    "petition.clock.breached.v1": _breached,
    "petition.clock.stopped.v1": _clock_moved(lambda d, e: {
        "phase": ClockPhase.STOPPED.value, "due_at": instant(d, "due_at"),
        "on_time": d["on_time"], "outcome": d["outcome"], "stopped_at": e.occurred_at}),
}
