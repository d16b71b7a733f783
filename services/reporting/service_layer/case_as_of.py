"""A case as it stood at an instant: its timeline up to then, folded (``case_history_fold``)
into the rows the current view reads, and presented the same way (``case_body``), with every
clock's condition at that instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from services.reporting.adapters.timeline import timeline
from services.reporting.domain.case_history import TimelineEvent
from services.reporting.domain.case_history_fold import history_of
from services.reporting.service_layer.case_reads import case_body


async def case_as_of(pool: asyncpg.Pool, case_id: str, district: str, at: datetime
                     ) -> dict[str, Any] | None:
    """None when nothing of the case had happened by then (it was not yet a case)."""
    events = [e for e in await timeline(pool, case_id) if e["occurred_at"] <= at]
    history = history_of(case_id, district, (
        TimelineEvent(e["type"], e["occurred_at"], e["data"]) for e in events))
    if history.case is None:
        return None
    return case_body(history.case, history.supervision_orders(), history.units_involved(),
                     history.clock_rows(), events, at)
