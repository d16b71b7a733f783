"""The relay's advisory lock, when its connection is terminated; and a checkpoint from another
cluster refused at start."""

from __future__ import annotations

import asyncio
from collections import Counter

import asyncpg
import pytest

from casebus.embedded.broker import EmbeddedBroker
from casebus.relay import CheckpointAhead, OutboxRelay
from casebus.store import EventStore
from tests.conftest import eventually, make_settings
from tests.integration.platform.kafka_tools import fresh_topic, read_topic
from tests.integration.platform.test_relay import append_case_events, running


async def test_a_relay_that_lost_its_lock_stops_publishing(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    topic = await fresh_topic(broker.bootstrap, partitions=1)
    store = EventStore(pool)
    settings = make_settings(database_url, broker.bootstrap)
    first = OutboxRelay(pool, settings, name="lock-test")
    second = OutboxRelay(pool, settings, name="lock-test")
    async with running(first):
        await append_case_events(store, topic, "case-1", 0, 5)
        await eventually(lambda: pool.fetchval(
            "SELECT position >= 5 FROM relay_checkpoint WHERE relay = 'lock-test'"))
        # An administrator (or a network cut) ends the session holding the lock.
        pid = await pool.fetchval("SELECT pid FROM pg_locks WHERE locktype = 'advisory' "
                                  "AND granted AND database = (SELECT oid FROM pg_database "
                                  "WHERE datname = current_database())")
        assert await pool.fetchval("SELECT pg_terminate_backend($1)", pid)
        async with running(second):
            for n in range(5, 45, 5):
                await append_case_events(store, topic, "case-1", n, 5)
                await asyncio.sleep(0.1)
            records = await read_topic(broker.bootstrap, topic, 45, timeout_ms=5000)
            await asyncio.sleep(1.0)  # a second publisher's copies would arrive by now
            records = await read_topic(broker.bootstrap, topic, 1000, timeout_ms=2000)
    copies = Counter(r.value for r in records)
    assert len(copies) == 45
    assert max(copies.values()) == 1, "a relay without its lock published too"


async def test_a_checkpoint_beyond_this_servers_transactions_is_refused(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    current = await pool.fetchval("SELECT pg_current_xact_id()::text::bigint")
    await pool.execute("INSERT INTO relay_checkpoint (relay, tx_id, position) "
                       "VALUES ('restored', $1::text::xid8, 7)", str(current + 1_000_000))
    relay = OutboxRelay(pool, make_settings(database_url, broker.bootstrap), name="restored")
    with pytest.raises(CheckpointAhead, match="restored elsewhere"):
        await asyncio.wait_for(relay.run(), timeout=10)


async def test_sessions_cannot_hold_the_cluster_back(database_url: str) -> None:
    from casebus.store import connect_pool

    pool = await connect_pool(database_url, statement_timeout_ms=1500,
                              idle_in_transaction_timeout_ms=1000)
    try:
        async with pool.acquire() as conn:
            assert await conn.fetchval("SHOW statement_timeout") == "1500ms"
            with pytest.raises(asyncpg.QueryCanceledError):
                await conn.execute("SELECT pg_sleep(3)")
        async with pool.acquire() as conn:
            # An idle transaction that would stall every gap-safe reader is ended.
            tr = conn.transaction()
            await tr.start()
            await asyncio.sleep(2.0)
            with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, OSError)):
                await conn.fetchval("SELECT 1")
    finally:
        await pool.close()


async def test_the_oldest_unpublished_row_has_an_age(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    from casebus.observability import OUTBOX_OLDEST

    topic = await fresh_topic(broker.bootstrap, partitions=1)
    await append_case_events(EventStore(pool), topic, "case-1", 0, 3)
    await pool.execute("UPDATE outbox SET created_at = now() - interval '90 seconds'")
    relay = OutboxRelay(pool, make_settings(database_url, broker.bootstrap), name="age-test")
    await relay._update_backlog()
    assert OUTBOX_OLDEST.labels("age-test")._value.get() >= 90
