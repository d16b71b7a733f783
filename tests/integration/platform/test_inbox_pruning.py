"""Inbox rows are pruned after their retention, and a refilled broker still applies nothing
twice: the per-partition horizon of pruned publisher positions drops the old events."""

from __future__ import annotations

import asyncpg

from casebus.consumer import InboxConsumer
from casebus.embedded.broker import EmbeddedBroker
from casebus.embedded.postgres import EmbeddedPostgres
from casebus.pruning import prune_inbox
from casebus.relay import OutboxRelay
from casebus.store import EventStore
from tests.conftest import eventually, make_settings
from tests.integration.platform.kafka_tools import (
    applied_per_case,
    count_applied,
    counting_database,
    fresh_topic,
)
from tests.integration.platform.test_relay import append_case_events, running

APPLIED = "SELECT count(*) FROM applied"


async def test_pruned_inbox_still_drops_a_refilled_log(
        pool: asyncpg.Pool, database_url: str, own_broker: EmbeddedBroker,
        embedded_postgres: EmbeddedPostgres) -> None:
    async with counting_database(embedded_postgres) as (consumer_db, consumer_pool):
        topic = await fresh_topic(own_broker.bootstrap)
        store = EventStore(pool)
        for c in range(20):
            await append_case_events(store, topic, f"case-{c}", 0, 5)
        relay = OutboxRelay(pool, make_settings(database_url, own_broker.bootstrap))
        consumer = InboxConsumer("pruning-test", [topic], {"test.counted.v1": count_applied},
                                 consumer_pool, make_settings(consumer_db, own_broker.bootstrap))
        async with running(relay, consumer):
            await eventually(lambda: consumer_pool.fetchval(f"{APPLIED} HAVING count(*) = 100"))
            # A row published by something other than a relay has no position: kept.
            await consumer_pool.execute(
                "INSERT INTO inbox (consumer, event_id) VALUES ('pruning-test', 'no-position')")
            await consumer_pool.execute("UPDATE inbox SET applied_at = now() - interval '8 days'")
            assert await prune_inbox(consumer_pool, retention_hours=7 * 24) == 100
            assert await consumer_pool.fetchval("SELECT count(*) FROM inbox") == 1
            horizons = await consumer_pool.fetch("SELECT * FROM inbox_horizon")
            assert 1 <= len(horizons) <= 4 and {h["topic"] for h in horizons} == {topic}

            own_broker.restart()  # the whole log is published again from the events table
            for c in range(20):
                await append_case_events(store, topic, f"case-{c}", 5, 3)
            await eventually(lambda: consumer_pool.fetchval(f"{APPLIED} HAVING count(*) >= 160"),
                             timeout=90)
            await eventually(lambda: _refill_seen(consumer_pool), timeout=30)
        assert await consumer_pool.fetchval(APPLIED) == 160
        assert await consumer_pool.fetchval("SELECT count(DISTINCT event_id) FROM applied") == 160
        per_case = await applied_per_case(consumer_pool)
        assert all(ns == list(range(8)) for ns in per_case.values()), per_case
        # Only the new events entered the inbox again; the refilled old ones were dropped.
        assert await consumer_pool.fetchval(
            "SELECT count(*) FROM inbox WHERE published_tx IS NOT NULL") == 60


async def _refill_seen(consumer_pool: asyncpg.Pool) -> bool:
    # The refilled old events were read (the consumer's positions passed all 160 records).
    offsets = await consumer_pool.fetchval(
        "SELECT sum(kafka_offset + 1) FROM consumer_position WHERE consumer = 'pruning-test'")
    return bool(offsets is not None and offsets >= 160)
