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


async def keep_in_timeline(conn: asyncpg.Connection, events: list[CloudEvent]
                           ) -> list[CloudEvent]:
    """Keep the events, in their order, in one statement; those the timeline did not hold yet
    (the same event twice: once)."""
    if not events:
        return []
    rows = await conn.fetch(
        """INSERT INTO case_timeline (case_id, event_id, type, source, occurred_at, data)
           SELECT case_id, event_id, type, source, occurred_at, data
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                       $6::jsonb[]) WITH ORDINALITY
                AS e (case_id, event_id, type, source, occurred_at, data, n)
           ORDER BY n  -- seq in the page's order: it orders one source's events of an instant
           ON CONFLICT DO NOTHING RETURNING event_id""",
        [e.subject for e in events], [e.id for e in events], [e.type for e in events],
        [e.source for e in events], [e.time for e in events], [e.data for e in events])
    new = {row["event_id"] for row in rows}
    kept = []
    for event in events:
        if event.id in new:
            new.discard(event.id)
            kept.append(event)
    return kept


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
