"""The tables every service has in its own database. Applied at start, idempotently.

``tx_id`` (xid8, the writing transaction's id) makes readers gap-safe: see event_store.py.
"""

from __future__ import annotations

import asyncpg

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    position    bigint GENERATED ALWAYS AS IDENTITY,
    tx_id       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id   text NOT NULL,
    version     integer NOT NULL CHECK (version > 0),
    event_id    uuid NOT NULL UNIQUE,
    type        text NOT NULL,
    district    text NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    data        jsonb NOT NULL,
    metadata    jsonb NOT NULL,
    PRIMARY KEY (stream_id, version)
);
CREATE INDEX IF NOT EXISTS events_in_commit_order ON events (tx_id, position);

-- The outbox is the events table itself: an event to publish carries its topic, key and
-- message, so the relay reads the log in commit-safe order and nothing needs pruning (the
-- events are kept forever anyway). A broker that lost its log is refilled from here.
ALTER TABLE events ADD COLUMN IF NOT EXISTS topic text;
ALTER TABLE events ADD COLUMN IF NOT EXISTS key text;
ALTER TABLE events ADD COLUMN IF NOT EXISTS message jsonb;
CREATE INDEX IF NOT EXISTS events_to_publish ON events (tx_id, position) WHERE topic IS NOT NULL;

-- Rows with a lower tx_id are final: readers and the relay read only those (event_store.py).
-- It is the oldest running transaction that may write to this database. Those that
-- pg_stat_activity shows on another database's backends cannot, so they do not hold it back
-- (four services on one server no longer wait for each other's transactions). Seen once, that
-- is known for good (transaction ids are unique); one it does not show (ended meanwhile)
-- holds it back as before. Every role sees every session's transaction id and database.
-- STABLE: it reads the calling statement's snapshot.
CREATE OR REPLACE FUNCTION commit_horizon() RETURNS xid8 LANGUAGE plpgsql STABLE AS $$
DECLARE
    snapshot pg_snapshot := pg_current_snapshot();
BEGIN
    IF pg_snapshot_xmin(snapshot) = pg_snapshot_xmax(snapshot) THEN
        RETURN pg_snapshot_xmax(snapshot);  -- no transaction was running
    END IF;
    RETURN coalesce(
        (SELECT min(running.x) FROM pg_snapshot_xip(snapshot) AS running (x)
          WHERE xid(running.x) NOT IN (
                SELECT a.backend_xid FROM pg_stat_get_activity(NULL) AS a
                 WHERE a.backend_xid IS NOT NULL
                   AND a.datid <> (SELECT oid FROM pg_database
                                    WHERE datname = current_database()))),
        pg_snapshot_xmax(snapshot));
END $$;

CREATE TABLE IF NOT EXISTS relay_checkpoint (
    relay       text PRIMARY KEY,
    tx_id       xid8 NOT NULL,
    position    bigint NOT NULL,
    epoch       text,           -- the broker lifetime this position was published into
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per event a consumer has applied: the database, not the broker, knows what was done.
CREATE TABLE IF NOT EXISTS inbox (
    consumer    text NOT NULL,
    event_id    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
-- Where the event came from, in its publisher's log order (the relay's ``casebus-position``
-- header): pruning keeps, per partition, the highest position it deleted (casebus.pruning).
ALTER TABLE inbox ADD COLUMN IF NOT EXISTS topic text;
ALTER TABLE inbox ADD COLUMN IF NOT EXISTS partition integer;
ALTER TABLE inbox ADD COLUMN IF NOT EXISTS published_tx bigint;
ALTER TABLE inbox ADD COLUMN IF NOT EXISTS published_position bigint;
CREATE INDEX IF NOT EXISTS inbox_by_age ON inbox (applied_at) WHERE published_tx IS NOT NULL;
CREATE TABLE IF NOT EXISTS inbox_horizon (
    consumer           text NOT NULL,
    topic              text NOT NULL,
    partition          integer NOT NULL,
    published_tx       bigint NOT NULL,
    published_position bigint NOT NULL,
    PRIMARY KEY (consumer, topic, partition)
);

CREATE TABLE IF NOT EXISTS consumer_position (
    consumer     text NOT NULL,
    topic        text NOT NULL,
    partition    integer NOT NULL,
    kafka_offset bigint NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic, partition)
);

-- Retried commands (``Idempotency-Key``) get the first answer again: ``casebus.idempotency``.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    district     text NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    response     jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (district, key)
);

CREATE TABLE IF NOT EXISTS dead_letters (
    id           bigserial PRIMARY KEY,
    consumer     text NOT NULL,
    topic        text NOT NULL,
    partition    integer NOT NULL,
    kafka_offset bigint NOT NULL,
    reason       text NOT NULL,
    raw          bytea,
    at           timestamptz NOT NULL DEFAULT now()
);
-- Once per message and consumer (event id, or the hash of bytes that did not parse); the
-- district scopes who may read it.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS message_key text;
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS event_id text;
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS event_type text;
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS district text;
CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_once ON dead_letters (consumer, message_key);

-- Databases from before the outbox became the events table: carry the unpublished rows over
-- and restart the relay at the start of its checkpoint's transaction (duplicates only).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_tables WHERE schemaname = current_schema()
               AND tablename = 'outbox') THEN
        UPDATE events e SET topic = o.topic, key = o.key, message = o.message
        FROM outbox o WHERE o.event_id = e.event_id;
        UPDATE relay_checkpoint SET position = 0;
        DROP TABLE outbox;
    END IF;
END $$;
-- What tests and tools read as "the outbox".
CREATE OR REPLACE VIEW outbox AS
    SELECT position, tx_id, event_id, topic, key, message, recorded_at AS created_at
    FROM events WHERE topic IS NOT NULL;
"""


async def migrate(pool: asyncpg.Pool, *extra_ddl: str) -> None:
    """Create the platform tables and a service's own tables. An advisory lock keeps several
    instances of one service from racing on CREATE (which can fail on pg_type)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('casebus-migrate'))")
        await conn.execute(SCHEMA)
        for ddl in extra_ddl:
            await conn.execute(ddl)
