"""Intake's events into the case row: the registration, the matter kind and the stage.

Intake's columns are guarded by ``stage_at`` (the time of its latest event applied), so within
intake's stream the later event wins whatever else arrived from routing or accountability.
"""

from __future__ import annotations

import logging

import asyncpg

from casebus.envelope import CloudEvent
from services.reporting.adapters.case_rows import add_units, upsert
from services.reporting.adapters.event_views import Reclassified, Registered, StageChange
from services.reporting.domain.stages import CaseStage, is_concluded

log = logging.getLogger(__name__)


async def record_registration(conn: asyncpg.Connection, event: CloudEvent) -> None:
    r = Registered.model_validate(event.data)
    await _intake(conn, event, {
        "matter_kind": r.matter_kind, "category": r.category, "community": r.community,
        "location": r.place, "subject": None, "channel": r.channel,
        "collective": r.collective, "skip_level": r.skip_level, "registered_at": event.time,
        "stage": CaseStage.REGISTERED.value, "merged_into": None, "concluded_at": None})


async def record_reclassification(conn: asyncpg.Connection, event: CloudEvent) -> None:
    await _intake(conn, event, {"matter_kind": Reclassified.model_validate(event.data).to_kind})


async def record_stage(conn: asyncpg.Connection, event: CloudEvent, stage: CaseStage) -> None:
    change = StageChange.model_validate(event.data)
    await _intake(conn, event, {
        "stage": stage.value,
        "merged_into": change.into_case_id if stage is CaseStage.MERGED else None,
        "concluded_at": event.time if is_concluded(stage) else None})
    await add_units(conn, event.subject, event.district, [change.unit_id], event.time)


async def record_unit(conn: asyncpg.Connection, event: CloudEvent) -> None:
    """An intake event naming the unit that handles the case (its acceptance recorded)."""
    await add_units(conn, event.subject, event.district,
                    [StageChange.model_validate(event.data).unit_id], event.time)


async def _intake(conn: asyncpg.Connection, event: CloudEvent, columns: dict[str, object]
                  ) -> None:
    applied = await upsert(conn, "case_view", {"case_id": event.subject}, columns,
                           district=event.district, guard=("stage_at", event.time))
    if not applied:
        log.info("older than the intake facts already applied; kept those",
                 extra={"case_id": event.subject, "event_id": event.id})
