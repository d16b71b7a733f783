"""Small broker helpers for platform tests: a fresh topic, raw records, a counting handler."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from casebus.embedded.postgres import EmbeddedPostgres
from casebus.envelope import CloudEvent, make_cloud_event
from casebus.store import connect_pool, migrate
from casebus.store.pool import ensure_database

# ``applied_order`` records the order events were applied in (each consumer applies one event
# at a time). Physical row order (ctid) would not: vacuum reuses the space of aborted inserts.
APPLIED_DDL = """CREATE TABLE IF NOT EXISTS applied (
    applied_order bigserial, event_id text, n integer, case_id text)"""


async def fresh_topic(bootstrap: str, partitions: int = 4, name: str | None = None) -> str:
    """Create a topic: a new one, or ``name`` again after a broker restart (as provisioning
    re-creates declared topics with their partition counts)."""
    name = name or f"test.{uuid4().hex[:10]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        await admin.close()
    return name


def cloud_event(n: int, case_id: str = "case-1", type_: str = "test.counted.v1") -> CloudEvent:
    return make_cloud_event(event_id=str(uuid4()), source="urn:test", wire_type=type_,
                            subject=case_id, time=datetime.now(UTC), district="d1",
                            correlation_id="c", causation_id="c", actor="test", data={"n": n})


async def produce(bootstrap: str, topic: str, records: list[tuple[str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        futures = [await producer.send(topic, value, key=key.encode()) for key, value in records]
        for f in futures:
            await f
    finally:
        await producer.stop()


async def count_applied(conn: asyncpg.Connection, event: CloudEvent) -> None:
    await conn.execute("INSERT INTO applied (event_id, n, case_id) VALUES ($1, $2, $3)",
                       event.id, event.data["n"], event.subject)


async def read_topic(bootstrap: str, topic: str, expected: int, timeout_ms: int = 15000) -> list:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=None)
    await consumer.start()
    records: list = []
    try:
        while len(records) < expected:
            batch = await consumer.getmany(timeout_ms=timeout_ms)
            if not batch:
                break
            for rs in batch.values():
                records.extend(rs)
    finally:
        await consumer.stop()
    return records


@asynccontextmanager
async def counting_database(server: EmbeddedPostgres) -> AsyncIterator[tuple[str, asyncpg.Pool]]:
    """A consumer's own database (its URL and a pool) with the ``applied`` table."""
    url = server.dsn(f"t_{uuid4().hex[:12]}")
    await ensure_database(url)
    pool = await connect_pool(url)
    try:
        await migrate(pool, APPLIED_DDL)
        yield url, pool
    finally:
        await pool.close()


async def applied_per_case(pool: asyncpg.Pool) -> dict[str, list[int]]:
    """Each case's ``n`` values in the order the consumer applied them."""
    per_case: dict[str, list[int]] = defaultdict(list)
    for r in await pool.fetch("SELECT case_id, n FROM applied ORDER BY applied_order"):
        per_case[r["case_id"]].append(r["n"])
    return per_case

