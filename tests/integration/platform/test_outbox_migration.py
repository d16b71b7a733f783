"""A database from before the outbox became the events table: its unpublished rows are carried
over into the events, and the relay restarts at the start of its checkpoint's transaction."""

from __future__ import annotations

import json
from uuid import uuid4

from casebus.store import connect_pool, migrate

OLD_SCHEMA = """
CREATE TABLE events (
    position bigint GENERATED ALWAYS AS IDENTITY, tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL, version integer NOT NULL, event_id uuid NOT NULL UNIQUE,
    type text NOT NULL, district text NOT NULL, occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), data jsonb NOT NULL, metadata jsonb NOT NULL,
    PRIMARY KEY (stream_id, version));
CREATE TABLE outbox (
    position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(), event_id uuid NOT NULL,
    topic text NOT NULL, key text NOT NULL, message jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE relay_checkpoint (relay text PRIMARY KEY, tx_id xid8 NOT NULL,
    position bigint NOT NULL, epoch text, updated_at timestamptz NOT NULL DEFAULT now());
"""


async def test_an_old_outbox_table_becomes_the_events_columns(database_url: str) -> None:
    pool = await connect_pool(database_url)
    try:
        await pool.execute(OLD_SCHEMA)
        published, private = uuid4(), uuid4()
        async with pool.acquire() as conn, conn.transaction():
            for version, event_id in ((1, published), (2, private)):
                await conn.execute(
                    "INSERT INTO events (stream_id, version, event_id, type, district, "
                    "occurred_at, data, metadata) VALUES ('case-1', $1, $2, 't', 'd1', now(), "
                    "'{}', '{}')", version, event_id)
            await conn.execute("INSERT INTO outbox (event_id, topic, key, message) VALUES "
                               "($1, 'petitions.test', 'case-1', $2)", published,
                               json.dumps({"id": str(published)}))
            tx = await conn.fetchval("SELECT pg_current_xact_id()::text")
            await conn.execute("INSERT INTO relay_checkpoint (relay, tx_id, position) "
                               "VALUES ('intake', $1::text::xid8, 7)", tx)

        await migrate(pool)
        await migrate(pool)  # idempotent

        assert await pool.fetchval(
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'outbox'") \
            == "VIEW"
        rows = await pool.fetch("SELECT event_id, topic, key FROM events ORDER BY version")
        assert [(r["event_id"], r["topic"], r["key"]) for r in rows] == [
            (published, "petitions.test", "case-1"), (private, None, None)]
        assert await pool.fetchval("SELECT count(*) FROM outbox") == 1
        assert await pool.fetchval("SELECT position FROM relay_checkpoint") == 0
    finally:
        await pool.close()
