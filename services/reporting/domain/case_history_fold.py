"""The case's timeline folded into its state at an instant, for ``GET /cases/{id}?as_of=``.

The current view reads the projections' tables; this folds the same events into rows of the
same columns, mirroring the projections event for event (``event_handlers.PROJECTIONS``) with
their guards: intake's columns by ``stage_at``, routing's by ``routing_at``, a clock's by
``last_at``. Tests fold whole lifecycles and check that the answer at ``now`` equals the current
view's, and that every projected event type is folded here (``FOLDS`` and stages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casebus.domain.registered import REGISTERED
from services.reporting.domain.case_history import (
    HANDOVERS,
    CaseHistory,
    TimelineEvent,
    add_units,
    guarded,
    instant,
    registration_columns,
    stage_columns,
)
from services.reporting.domain.case_history_clocks import CLOCK_FOLDS, Fold
from services.reporting.domain.stages import STAGE_AFTER, CaseStage


def history_of(case_id: str, district: str, events: Iterable[TimelineEvent]) -> CaseHistory:
    """The case after these events (in the timeline's order)."""
    history = CaseHistory(case_id, district)
    for event in events:
        fold = FOLDS.get(event.type) or (stage(STAGE_AFTER[event.type])
                                         if event.type in STAGE_AFTER else None)
        if fold is not None:
            fold(history, event)
    return history


def _intake(h: CaseHistory, e: TimelineEvent, columns: dict[str, Any]) -> None:
    guarded(h.case_row(), "stage_at", e.occurred_at, columns)


def _routing(h: CaseHistory, e: TimelineEvent, columns: dict[str, Any]) -> None:
    guarded(h.case_row(), "routing_at", e.occurred_at, columns)


def stage(to: CaseStage) -> Fold:
    def fold(h: CaseHistory, e: TimelineEvent) -> None:
        _intake(h, e, stage_columns(to, e.data, e.occurred_at))
        add_units(h, [e.data.get("unit_id")], e.occurred_at)
    return fold


def _registered(h: CaseHistory, e: TimelineEvent) -> None:
    _intake(h, e, registration_columns(e.data, e.occurred_at))


def _reclassified(h: CaseHistory, e: TimelineEvent) -> None:
    _intake(h, e, {"matter_kind": e.data["to_kind"]})


def _unit_named(h: CaseHistory, e: TimelineEvent) -> None:
    add_units(h, [e.data.get("unit_id")], e.occurred_at)


def _handover(h: CaseHistory, e: TimelineEvent) -> None:
    d = e.data
    assisting = list(d.get("assisting_unit_ids") or [])
    columns: dict[str, Any] = {
        "assignment_status": "assigned", "unit_id": d["unit_id"],
        "assisting_unit_ids": assisting, "assigned_at": e.occurred_at,
        "acceptance_due": instant(d, "acceptance_due"), "accepted_at": None, "answer_due": None}
    for name in ("rules_version", "level"):
        if d.get(name) is not None:
            columns[name] = d[name]
    _routing(h, e, columns)
    add_units(h, [d["unit_id"], *assisting], e.occurred_at)


def _accepted(h: CaseHistory, e: TimelineEvent) -> None:
    _routing(h, e, {"assignment_status": "accepted", "accepted_at": e.occurred_at,
                    "answer_due": instant(e.data, "answer_due")})
    add_units(h, [e.data["unit_id"]], e.occurred_at)


def _returned(h: CaseHistory, e: TimelineEvent) -> None:
    _routing(h, e, {"assignment_status": "returned"})
    add_units(h, [e.data["unit_id"]], e.occurred_at)


def _co_handling(h: CaseHistory, e: TimelineEvent) -> None:
    assisting = list(e.data["assisting_unit_ids"])
    _routing(h, e, {"unit_id": e.data["lead_unit_id"], "assisting_unit_ids": assisting})
    add_units(h, [e.data["lead_unit_id"], *assisting], e.occurred_at)


def _extension(h: CaseHistory, e: TimelineEvent) -> None:
    _routing(h, e, {"extension_days": e.data["days"], "extension_approved_by":
                    e.data["approver"], "answer_due": instant(e.data, "answer_due")})


def _assignment_closed(h: CaseHistory, e: TimelineEvent) -> None:
    _routing(h, e, {"assignment_status": "closed"})


def _key_case(h: CaseHistory, e: TimelineEvent) -> None:
    h.case_row().update({"key_case": True, "key_case_flagged_by": e.data["flagged_by"],
                         "key_case_reason": e.data.get("reason")})


def _supervision(h: CaseHistory, e: TimelineEvent) -> None:
    d = e.data
    h.orders.setdefault(d["order_id"], {
        "order_id": d["order_id"], "issued_by": d["issued_by"], "unit_id": d.get("unit_id"),
        "due": instant(d, "due"), "limit_days": d.get("limit_days"),
        "issued_at": e.occurred_at})
    add_units(h, [d.get("unit_id")], e.occurred_at)


FOLDS: dict[str, Fold] = {
    **dict.fromkeys(REGISTERED, _registered),
    "petition.case.reclassified.v1": _reclassified,
    "petition.case.unit-acceptance-recorded.v1": _unit_named,
    **dict.fromkeys(HANDOVERS, _handover),
    "petition.case.accepted.v1": _accepted,
    "petition.case.returned.v1": _returned,
    "petition.case.co-handling-arranged.v1": _co_handling,
    "petition.case.extension-approved.v1": _extension,
    "petition.case.supervision-ordered.v1": _supervision,
    "petition.case.assignment-closed.v1": _assignment_closed,
    "petition.case.progress-noted.v1": _unit_named,
    "petition.case.flagged-as-key.v1": _key_case,
    **CLOCK_FOLDS,
}
