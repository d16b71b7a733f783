"""Routing's events into the case row: the assignment (status, lead and assisting units, rules
version, deadlines, extension), the key-case flag, supervision orders and the units involved.

The assignment's columns are guarded by ``routing_at`` (the time of routing's latest event
applied); the key-case flag and supervision orders only accumulate.
"""

from __future__ import annotations

import logging

import asyncpg

from casebus.envelope import CloudEvent
from services.reporting.adapters.case_rows import add_units, upsert
from services.reporting.adapters.event_views import (
    Accepted,
    CoHandling,
    ExtensionApproved,
    FlaggedAsKey,
    Handover,
    SupervisionOrdered,
    UnitNamed,
)

log = logging.getLogger(__name__)


async def record_handover(conn: asyncpg.Connection, event: CloudEvent) -> None:
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
    await _assignment(conn, event, columns)
    await add_units(conn, event.subject, event.district, [h.unit_id, *h.assisting_unit_ids],
                    event.time)


async def record_acceptance(conn: asyncpg.Connection, event: CloudEvent) -> None:
    a = Accepted.model_validate(event.data)
    await _assignment(conn, event, {"assignment_status": "accepted", "accepted_at": event.time,
                                    "answer_due": a.answer_due})
    await add_units(conn, event.subject, event.district, [a.unit_id], event.time)


async def record_return(conn: asyncpg.Connection, event: CloudEvent) -> None:
    unit = UnitNamed.model_validate(event.data).unit_id
    await _assignment(conn, event, {"assignment_status": "returned"})
    await add_units(conn, event.subject, event.district, [unit], event.time)


async def record_co_handling(conn: asyncpg.Connection, event: CloudEvent) -> None:
    c = CoHandling.model_validate(event.data)
    await _assignment(conn, event, {"unit_id": c.lead_unit_id,
                                    "assisting_unit_ids": c.assisting_unit_ids})
    await add_units(conn, event.subject, event.district,
                    [c.lead_unit_id, *c.assisting_unit_ids], event.time)


async def record_extension(conn: asyncpg.Connection, event: CloudEvent) -> None:
    e = ExtensionApproved.model_validate(event.data)
    await _assignment(conn, event, {"extension_days": e.days, "extension_approved_by": e.approver,
                                    "answer_due": e.answer_due})


async def record_assignment_closed(conn: asyncpg.Connection, event: CloudEvent) -> None:
    await _assignment(conn, event, {"assignment_status": "closed"})


async def record_unit_named(conn: asyncpg.Connection, event: CloudEvent) -> None:
    """E.g. progress noted by a unit: it is involved in the case."""
    await add_units(conn, event.subject, event.district,
                    [UnitNamed.model_validate(event.data).unit_id], event.time)


async def record_key_case(conn: asyncpg.Connection, event: CloudEvent) -> None:
    f = FlaggedAsKey.model_validate(event.data)
    await upsert(conn, "case_view", {"case_id": event.subject},
                 {"key_case": True, "key_case_flagged_by": f.flagged_by,
                  "key_case_reason": f.reason}, district=event.district)


async def record_supervision_order(conn: asyncpg.Connection, event: CloudEvent) -> None:
    o = SupervisionOrdered.model_validate(event.data)
    await conn.execute(
        """INSERT INTO case_supervision_orders
               (case_id, order_id, district, issued_by, unit_id, due, limit_days, issued_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
        event.subject, o.order_id, event.district, o.issued_by, o.unit_id, o.due,
        o.limit_days, event.time)
    await add_units(conn, event.subject, event.district, [o.unit_id], event.time)


async def _assignment(conn: asyncpg.Connection, event: CloudEvent,
                      columns: dict[str, object]) -> None:
    applied = await upsert(conn, "case_view", {"case_id": event.subject}, columns,
                           district=event.district, guard=("routing_at", event.time))
    if not applied:
        log.info("older than the assignment facts already applied; kept those",
                 extra={"case_id": event.subject, "event_id": event.id})
