"""Each case's timeline: every public event about the case, kept once (by event id).

Keeping the event is also how reporting knows it has applied it: a projection runs only for an
event the timeline did not hold yet, so an event delivered again changes nothing.
"""

from __future__ import annotations

import asyncpg

from casebus.envelope import CloudEvent

# Events about a case (its intake and routing events, its clocks); others (routing rules,
# calendar corrections, responsibility letters) are not part of any case's story.
CASE_EVENT_PREFIXES = ("petition.case.", "petition.clock.")
SOURCES_IN_CAUSAL_ORDER = ("intake", "routing", "accountability")


def is_case_event(event: CloudEvent) -> bool:
    return event.type.startswith(CASE_EVENT_PREFIXES)


async def record_in_timeline(conn: asyncpg.Connection, event: CloudEvent) -> bool:
    """Keep the event; False when the timeline already held it."""
    added = await conn.fetchval(
        """INSERT INTO case_timeline (case_id, event_id, type, source, occurred_at, data)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING true""",
        event.subject, event.id, event.type, event.source, event.time, event.data)
    return bool(added)


async def timeline(conn: asyncpg.Connection | asyncpg.Pool, case_id: str) -> list[asyncpg.Record]:
    """In the order things happened. Events of one instant from different services come in the
    order of cause and effect (routing reacts to intake, accountability to both), not in the
    order the topics happened to deliver them; one service's in the order of its stream."""
    rows: list[asyncpg.Record] = await conn.fetch(
        """SELECT event_id, type, source, occurred_at, data FROM case_timeline
           WHERE case_id = $1
           ORDER BY occurred_at, array_position($2::text[], source) NULLS LAST, seq""",
        case_id, list(SOURCES_IN_CAUSAL_ORDER))
    return rows
