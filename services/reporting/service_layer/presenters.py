"""Rows as answers: every instant in local time (``local_iso``), every clock's condition from
``clock_condition`` (the one definition), at the service clock's ``now``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.clock_condition import ClockCondition, clock_condition, local_iso
from casebus.domain.deadlines import DEFAULT_WARN_LEAD


def condition_of(row: asyncpg.Record, now: datetime) -> ClockCondition | None:
    """None for a clock reporting has seen no start of yet (its events on their way)."""
    if row["phase"] is None or row["due_at"] is None:
        return None
    return clock_condition(row["phase"], row["due_at"], row["warn_at"], now)


def warn_instant(row: asyncpg.Record) -> datetime | None:
    """When the clock warns: as its events recorded, else the default lead before due (as
    ``clock_condition`` counts it)."""
    if row["warn_at"] is not None or row["due_at"] is None:
        return row["warn_at"]  # type: ignore[no-any-return]
    due: datetime = row["due_at"]
    return due - DEFAULT_WARN_LEAD


def clock_answer(row: asyncpg.Record, now: datetime) -> dict[str, Any]:
    return {
        "clock_id": row["clock_id"], "case_id": row["case_id"], "kind": row["kind"],
        "unit_id": row["unit_id"], "phase": row["phase"],
        "condition": condition_of(row, now),
        "started_at": local_iso(row["started_at"]), "due_at": local_iso(row["due_at"]),
        "warn_at": local_iso(warn_instant(row)),
        "warned": row["warned_due"] is not None and row["warned_due"] == row["due_at"],
        "breached": row["breached"], "on_time": row["on_time"], "outcome": row["outcome"],
        "stopped_at": local_iso(row["stopped_at"]),
    }


def assignment_answer(case: asyncpg.Record, orders: list[asyncpg.Record]) -> dict[str, Any]:
    extension = None if case["extension_days"] is None else {
        "days": case["extension_days"], "approved_by": case["extension_approved_by"]}
    return {
        "status": case["assignment_status"], "lead_unit_id": case["unit_id"],
        "assisting_unit_ids": list(case["assisting_unit_ids"] or ()),
        "rules_version": case["rules_version"], "level": case["level"],
        "assigned_at": local_iso(case["assigned_at"]),
        "acceptance_due": local_iso(case["acceptance_due"]),
        "accepted_at": local_iso(case["accepted_at"]),
        "answer_due": local_iso(case["answer_due"]), "extension": extension,
        "key_case": case["key_case"], "key_case_flagged_by": case["key_case_flagged_by"],
        "supervision_orders": [{
            "order_id": o["order_id"], "issued_by": o["issued_by"], "unit_id": o["unit_id"],
            "due": local_iso(o["due"]), "limit_days": o["limit_days"],
            "issued_at": local_iso(o["issued_at"])} for o in orders],
    }


def case_summary(case: asyncpg.Record) -> dict[str, Any]:
    """What every answer about a case starts with (intake's facts and the responsible units)."""
    return {
        "case_id": case["case_id"], "district": case["district"], "stage": case["stage"],
        "matter_kind": case["matter_kind"], "category": case["category"],
        "community": case["community"], "location": case["location"],
        "subject": case["subject"], "channel": case["channel"],
        "collective": case["collective"], "skip_level": case["skip_level"],
        "registered_at": local_iso(case["registered_at"]),
        "merged_into": case["merged_into"], "concluded_at": local_iso(case["concluded_at"]),
        "unit_id": case["unit_id"],  # the lead unit (older clients read it here)
        "assisting_unit_ids": list(case["assisting_unit_ids"] or ()),
        "assignment_status": case["assignment_status"],
    }
