"""How an assignment is shown: its state summarised, instants in the district's local time."""

from __future__ import annotations

from typing import Any

from casebus.domain.clock_condition import local_iso
from services.routing.domain.assignment import AssignmentState
from services.routing.domain.events import CaseEvent


def event_view(event: CaseEvent) -> dict[str, Any]:
    return {"type": event.wire_type(), **event.model_dump(mode="json")}


def summary(state: AssignmentState) -> dict[str, Any]:
    pending, granted, flag = state.pending_extension, state.granted_extension, state.key_flag
    return {
        "status": str(state.status),
        "category": state.category,
        "level": str(state.level),
        "lead_unit": state.unit_id or None,
        "assisting_units": list(state.assisting_unit_ids),
        "returned_by": list(state.returned_by),
        "assigned_at": local_iso(state.assigned_at),
        "acceptance_due": local_iso(state.acceptance_due),
        "return_deadline": local_iso(state.return_deadline),
        "accepted_at": local_iso(state.accepted_at),
        "answer_due": local_iso(state.answer_due),
        "extension": {
            "pending": None if pending is None else {
                "unit_id": pending.unit_id, "days": pending.days, "reason": pending.reason},
            "granted": None if granted is None else {
                "days": granted.days, "approver": granted.approver, "reason": granted.reason,
                "answer_due": local_iso(granted.answer_due)},
        },
        "supervision_orders": [
            {"order_id": o.order_id, "unit_id": o.unit_id, "issued_by": o.issued_by,
             "instructions": o.instructions, "due": local_iso(o.due)}
            for o in state.supervision_orders],
        "key_case": None if flag is None else {
            "flagged_by": flag.flagged_by, "reason": flag.reason, "at": local_iso(flag.at)},
        "progress_notes": [{"unit_id": n.unit_id, "note": n.note, "at": local_iso(n.at)}
                           for n in state.progress_notes],
        "rules_version": state.rules_version,
        "rule_id": state.rule_id,
        "explanation": state.explanation,
    }
