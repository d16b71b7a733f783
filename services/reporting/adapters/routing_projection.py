"""Routing's events into the case row: the assignment (status, lead and assisting units, rules
version, deadlines, extension), the key-case flag, supervision orders and the units involved.

The assignment's columns are guarded by ``routing_at`` (the time of routing's latest event
applied); the key-case flag and supervision orders only accumulate.
"""

from __future__ import annotations

from casebus.envelope import CloudEvent
from services.reporting.adapters.event_views import (
    Accepted,
    CoHandling,
    ExtensionApproved,
    FlaggedAsKey,
    Handover,
    SupervisionOrdered,
    UnitNamed,
)
from services.reporting.adapters.row_batch import RowBatch


def record_handover(rows: RowBatch, event: CloudEvent) -> None:
    """Assigned, re-routed, transferred, escalated or reopened: a unit must accept anew."""
    h = Handover.model_validate(event.data)
    columns: dict[str, object] = {
        "assignment_status": "assigned", "unit_id": h.unit_id,
        "assisting_unit_ids": h.assisting_unit_ids, "assigned_at": event.time,
        "acceptance_due": h.acceptance_due, "accepted_at": None, "answer_due": None}
    if h.rules_version is not None:
        columns["rules_version"] = h.rules_version
    if h.level is not None:
        columns["level"] = h.level
    _assignment(rows, event, columns)
    rows.add_units(event.subject, event.district, [h.unit_id, *h.assisting_unit_ids],
                    event.time)


def record_acceptance(rows: RowBatch, event: CloudEvent) -> None:
    a = Accepted.model_validate(event.data)
    _assignment(rows, event, {"assignment_status": "accepted", "accepted_at": event.time,
                                    "answer_due": a.answer_due})
    rows.add_units(event.subject, event.district, [a.unit_id], event.time)


def record_return(rows: RowBatch, event: CloudEvent) -> None:
    unit = UnitNamed.model_validate(event.data).unit_id
    _assignment(rows, event, {"assignment_status": "returned"})
    rows.add_units(event.subject, event.district, [unit], event.time)


def record_co_handling(rows: RowBatch, event: CloudEvent) -> None:
    c = CoHandling.model_validate(event.data)
    _assignment(rows, event, {"unit_id": c.lead_unit_id,
                                    "assisting_unit_ids": c.assisting_unit_ids})
    rows.add_units(event.subject, event.district,
                    [c.lead_unit_id, *c.assisting_unit_ids], event.time)


def record_extension(rows: RowBatch, event: CloudEvent) -> None:
    e = ExtensionApproved.model_validate(event.data)
    _assignment(rows, event, {"extension_days": e.days, "extension_approved_by": e.approver,
                                    "answer_due": e.answer_due})


def record_assignment_closed(rows: RowBatch, event: CloudEvent) -> None:
    _assignment(rows, event, {"assignment_status": "closed"})


def record_unit_named(rows: RowBatch, event: CloudEvent) -> None:
    """E.g. progress noted by a unit: it is involved in the case."""
    rows.add_units(event.subject, event.district,
                    [UnitNamed.model_validate(event.data).unit_id], event.time)


def record_key_case(rows: RowBatch, event: CloudEvent) -> None:
    f = FlaggedAsKey.model_validate(event.data)
    rows.upsert("case_view", {"case_id": event.subject},
                {"key_case": True, "key_case_flagged_by": f.flagged_by,
                 "key_case_reason": f.reason}, district=event.district)


def record_supervision_order(rows: RowBatch, event: CloudEvent) -> None:
    o = SupervisionOrdered.model_validate(event.data)
    rows.insert_new("case_supervision_orders", {"case_id": event.subject, "order_id": o.order_id},
                    {"issued_by": o.issued_by, "unit_id": o.unit_id, "due": o.due,
                     "limit_days": o.limit_days, "issued_at": event.time},
                    district=event.district)
    rows.add_units(event.subject, event.district, [o.unit_id], event.time)


def _assignment(rows: RowBatch, event: CloudEvent, columns: dict[str, object]) -> None:
    rows.upsert("case_view", {"case_id": event.subject}, columns, district=event.district,
                guard=("routing_at", event.time),
                refused="older than the assignment facts already applied; kept those",
                ids={"case_id": event.subject, "event_id": event.id})
