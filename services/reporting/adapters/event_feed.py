"""The district's feed of case events, each at a position that only grows (``GET /stream``).

Why not the timeline's ``seq`` (a bigserial): a sequence hands out numbers at insert, but
transactions commit in any order, so a reader could see 11 before 10 commits, send 11, and a
client resuming after 11 would never get 10. Here positions come from ONE writer at a time:
``event_feed_head`` is a single row that every appending transaction updates, so it holds that
row's lock until it commits and the next appender waits. Commit order is position order, and a
reader that sees position N has seen every position below it. This holds for the one consumer
task of each reporting process and for several reporting instances sharing the database (e2e,
a rebuild running beside the service). A page's events take their positions in one statement,
before the page's projections, so every other row lock of the transaction comes after the
head's, in one order for all of reporting's consumers (taken last, a page could wait for a row
that another topic's transaction had locked before asking for the head: a deadlock).

Each appending transaction also NOTIFYs ``FEED_CHANNEL``: PostgreSQL delivers it at commit, to
every listening process, so waiting streams of every instance wake (``stream_signal``).
"""

from __future__ import annotations

import asyncpg

from casebus.envelope import CloudEvent
from services.reporting.domain.feed_items import public_data, unit_named

FEED_CHANNEL = "reporting_event_feed"

# After the timeline's DDL. A feed created over an existing timeline starts with its events,
# in the order they were kept (nothing was streamed before, so no client holds a position).
DDL = """
CREATE TABLE IF NOT EXISTS event_feed_head (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS event_feed (
    position    bigint PRIMARY KEY,
    district    text NOT NULL,
    case_id     text NOT NULL,
    event_id    text NOT NULL,
    type        text NOT NULL,
    unit_id     text,
    occurred_at timestamptz NOT NULL,
    data        jsonb NOT NULL,
    UNIQUE (case_id, event_id)
);
CREATE INDEX IF NOT EXISTS event_feed_by_district ON event_feed (district, position);
INSERT INTO event_feed
    SELECT row_number() OVER (ORDER BY t.seq), v.district, t.case_id, t.event_id, t.type,
           coalesce(t.data->>'unit_id', t.data->>'lead_unit_id'), t.occurred_at,
           t.data - 'petitioner_ids' - 'matched_petitioner_ids'
               - CASE WHEN t.type = 'petition.case.registered.v1'  -- free text, before v2
                      THEN ARRAY['subject', 'location'] ELSE ARRAY[]::text[] END
    FROM case_timeline t JOIN case_view v USING (case_id)
    WHERE NOT EXISTS (SELECT 1 FROM event_feed_head) AND NOT EXISTS (SELECT 1 FROM event_feed);
INSERT INTO event_feed_head (one, position)
    SELECT true, coalesce(max(position), 0) FROM event_feed
    ON CONFLICT (one) DO NOTHING;
"""


async def append_to_feed(conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
    """Give the case events the next positions, in their order, in one statement (inside the
    consumer's transaction, before the events' projections). Events fed before (a rebuild
    re-applying the log) keep their positions and take no new one."""
    if not events:
        return
    await conn.execute(
        """WITH page AS (
               SELECT *, row_number() OVER (ORDER BY n) AS k
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                           $6::timestamptz[], $7::jsonb[]) WITH ORDINALITY
                    AS e (district, case_id, event_id, type, unit_id, occurred_at, data, n)
               WHERE NOT EXISTS (SELECT FROM event_feed f
                                 WHERE f.case_id = e.case_id AND f.event_id = e.event_id))
           , head AS (INSERT INTO event_feed_head (one, position)  -- (a head lost: anew)
                      SELECT true, (SELECT coalesce(max(position), 0) FROM event_feed) + count(*)
                      FROM page HAVING count(*) > 0
                      ON CONFLICT (one) DO UPDATE
                      SET position = event_feed_head.position + (SELECT count(*) FROM page)
                      RETURNING position)
           , fed AS (INSERT INTO event_feed (position, district, case_id, event_id, type,
                                             unit_id, occurred_at, data)
                     SELECT head.position - (SELECT count(*) FROM page) + page.k,
                            page.district, page.case_id, page.event_id, page.type,
                            page.unit_id, page.occurred_at, page.data
                     FROM page, head ORDER BY page.k
                     ON CONFLICT (case_id, event_id) DO NOTHING)
           SELECT pg_notify($8, '')  -- in the same round trip
        """,
        [e.district or "" for e in events], [e.subject for e in events],
        [e.id for e in events], [e.type for e in events],
        [unit_named(e.data) for e in events], [e.time for e in events],
        [public_data(e.data) for e in events], FEED_CHANNEL)


async def feed_page(pool: asyncpg.Pool, *, district: str, after: int, scan: int, limit: int,
                    types: list[str] | None, case_id: str | None, unit: str | None
                    ) -> tuple[int, int, list[asyncpg.Record]]:
    """Up to ``limit`` events after position ``after`` that pass the filters, looking at no
    more than ``scan`` positions (a rare filter never scans the whole feed at once). Returns
    the position read up to (the last event's when the page is full, else the end of what was
    looked at: the next page starts there), the feed's head, and the events. The head read is
    committed, so every position below it is too (one writer at a time): no holes up to it."""
    head: int = await pool.fetchval("SELECT coalesce(max(position), 0) FROM event_feed_head")
    upto = max(min(head, after + scan), after)
    rows: list[asyncpg.Record] = await pool.fetch(
        """SELECT position, type, case_id, unit_id, occurred_at, data FROM event_feed f
           WHERE f.district = $1 AND f.position > $2 AND f.position <= $3
             AND ($4::text[] IS NULL OR f.type = ANY($4::text[]))
             AND ($5::text IS NULL OR f.case_id = $5)
             AND ($6::text IS NULL OR EXISTS (
                 SELECT 1 FROM case_units u WHERE u.case_id = f.case_id AND u.unit_id = $6))
           ORDER BY f.position LIMIT $7""",
        district, after, upto, types, case_id, unit, limit)
    if len(rows) == limit:
        return int(rows[-1]["position"]), head, rows
    return upto, head, rows


async def feed_head(pool: asyncpg.Pool) -> int:
    """The latest position given (committed)."""
    head: int | None = await pool.fetchval("SELECT position FROM event_feed_head")
    return head or 0
