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

CREATE TABLE IF NOT EXISTS outbox (
    position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx_id       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id    uuid NOT NULL,
    topic       text NOT NULL,
    key         text NOT NULL,
    message     jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_in_commit_order ON outbox (tx_id, position);
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();

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
"""


async def migrate(pool: asyncpg.Pool, *extra_ddl: str) -> None:
    """Create the platform tables and a service's own tables. An advisory lock keeps several
    instances of one service from racing on CREATE (which can fail on pg_type)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('casebus-migrate'))")
        await conn.execute(SCHEMA)
        for ddl in extra_ddl:
            await conn.execute(ddl)
