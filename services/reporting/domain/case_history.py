"""A case as it stood at an instant (``case_history_fold``): the facts the projections write
into ``case_view``, ``case_units``, ``case_supervision_orders`` and ``case_clocks``, as rows of
the same columns, so the case view's presenters show them the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.reporting.domain.stages import DEFAULT_MATTER_KIND, CaseStage, is_concluded

Row = dict[str, Any]
CASE_COLUMNS = (
    "matter_kind", "category", "community", "location", "subject", "channel", "collective",
    "skip_level", "registered_at", "stage", "stage_at", "merged_into", "concluded_at",
    "assignment_status", "unit_id", "assisting_unit_ids", "rules_version", "level",
    "assigned_at", "acceptance_due", "accepted_at", "answer_due", "extension_days",
    "extension_approved_by", "routing_at", "key_case_flagged_by", "key_case_reason")
CLOCK_COLUMNS = ("kind", "unit_id", "category", "phase", "started_at", "due_at", "warn_at",
                 "warned_due", "on_time", "outcome", "stopped_at", "last_at")
HANDOVERS = frozenset(f"petition.case.{h}.v1" for h in (
    "assigned", "rerouted", "transferred", "escalated", "reopened"))


@dataclass(frozen=True)
class TimelineEvent:
    type: str
    occurred_at: datetime
    data: dict[str, Any]


@dataclass
class CaseHistory:
    case_id: str
    district: str
    case: Row | None = None  # None until an event made the case row
    units: dict[str, datetime] = field(default_factory=dict)  # unit -> since
    orders: dict[str, Row] = field(default_factory=dict)
    clocks: dict[str, Row] = field(default_factory=dict)

    def case_row(self) -> Row:
        if self.case is None:
            self.case = {"case_id": self.case_id, "district": self.district,
                         **dict.fromkeys(CASE_COLUMNS), "key_case": False}
        return self.case

    def units_involved(self) -> list[str]:
        return [u for u, _ in sorted(self.units.items(), key=lambda us: (us[1], us[0]))]

    def supervision_orders(self) -> list[Row]:
        return sorted(self.orders.values(), key=lambda o: (o["issued_at"], o["order_id"]))

    def clock_rows(self) -> list[Row]:
        """As ``clocks_of`` orders them: by start (unknown last), then id."""
        return sorted(self.clocks.values(), key=lambda k: (
            k["started_at"] is None, k["started_at"] or datetime.min, k["clock_id"]))


def guarded(row: Row, guard: str, at: datetime, columns: Row) -> bool:
    """The projections' ``upsert`` guard: apply unless a later event of the source was."""
    if row[guard] is not None and row[guard] > at:
        return False
    row.update(columns)
    row[guard] = at
    return True


def add_units(h: CaseHistory, units: Iterable[str | None], since: datetime) -> None:
    for unit in units:
        if unit:
            h.units[unit] = min(h.units.get(unit, since), since)


def stage_columns(stage: CaseStage, data: dict[str, Any], at: datetime) -> Row:
    return {"stage": stage.value,
            "merged_into": data.get("into_case_id") if stage is CaseStage.MERGED else None,
            "concluded_at": at if is_concluded(stage) else None}


def registration_columns(data: dict[str, Any], at: datetime) -> Row:
    return {
        "matter_kind": data.get("matter_kind") or DEFAULT_MATTER_KIND,
        "category": data["category"], "community": data["community"],
        "location": data.get("place"), "subject": None,  # free text never kept
        "channel": data["channel"], "collective": bool(data.get("collective", False)),
        "skip_level": bool(data.get("skip_level", False)), "registered_at": at,
        "stage": CaseStage.REGISTERED.value, "merged_into": None, "concluded_at": None}


def instant(data: dict[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    return None if value is None else datetime.fromisoformat(value)
