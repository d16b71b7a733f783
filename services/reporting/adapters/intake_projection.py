"""Intake's events into the case row: the registration, the matter kind and the stage.

Intake's columns are guarded by ``stage_at`` (the time of its latest event applied), so within
intake's stream the later event wins whatever else arrived from routing or accountability.
"""

from __future__ import annotations

from casebus.envelope import CloudEvent
from services.reporting.adapters.event_views import Reclassified, Registered, StageChange
from services.reporting.adapters.row_batch import RowBatch
from services.reporting.domain.stages import CaseStage, is_concluded


def record_registration(rows: RowBatch, event: CloudEvent) -> None:
    r = Registered.model_validate(event.data)
    _intake(rows, event, {
        "matter_kind": r.matter_kind, "category": r.category, "community": r.community,
        "location": r.place, "subject": None, "channel": r.channel,
        "collective": r.collective, "skip_level": r.skip_level, "registered_at": event.time,
        "stage": CaseStage.REGISTERED.value, "merged_into": None, "concluded_at": None})


def record_reclassification(rows: RowBatch, event: CloudEvent) -> None:
    _intake(rows, event, {"matter_kind": Reclassified.model_validate(event.data).to_kind})


def record_stage(rows: RowBatch, event: CloudEvent, stage: CaseStage) -> None:
    change = StageChange.model_validate(event.data)
    _intake(rows, event, {
        "stage": stage.value,
        "merged_into": change.into_case_id if stage is CaseStage.MERGED else None,
        "concluded_at": event.time if is_concluded(stage) else None})
    rows.add_units(event.subject, event.district, [change.unit_id], event.time)


def record_unit(rows: RowBatch, event: CloudEvent) -> None:
    """An intake event naming the unit that handles the case (its acceptance recorded)."""
    rows.add_units(event.subject, event.district,
                    [StageChange.model_validate(event.data).unit_id], event.time)


def _intake(rows: RowBatch, event: CloudEvent, columns: dict[str, object]) -> None:
    rows.upsert("case_view", {"case_id": event.subject}, columns, district=event.district,
                guard=("stage_at", event.time),
                refused="older than the intake facts already applied; kept those",
                ids={"case_id": event.subject, "event_id": event.id})
