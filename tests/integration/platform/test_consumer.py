"""The inbox consumer against a real broker and a real database."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg

from casebus.consumer import InboxConsumer
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from casebus.topics import DEADLETTER
from tests.conftest import eventually, make_settings
from tests.integration.platform.kafka_tools import (
    APPLIED_DDL,
    cloud_event,
    count_applied,
    fresh_topic,
    produce,
    read_topic,
)


@contextlib.asynccontextmanager
async def running(consumer: InboxConsumer):  # type: ignore[no-untyped-def]
    task = asyncio.create_task(consumer.run())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_same_event_delivered_twice_is_applied_once(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    await pool.execute(APPLIED_DDL)
    topic = await fresh_topic(broker.bootstrap)
    event = cloud_event(1)
    await produce(broker.bootstrap, topic, [("case-1", event.to_bytes())] * 2)
    marker = cloud_event(2)
    await produce(broker.bootstrap, topic, [("case-1", marker.to_bytes())])
    consumer = InboxConsumer("dup-test", [topic], {"test.counted.v1": count_applied}, pool,
                             make_settings(database_url, broker.bootstrap))
    async with running(consumer):
        await eventually(lambda: pool.fetchval("SELECT count(*) = 2 FROM applied"))
        await asyncio.sleep(0.5)  # a wrongly applied duplicate would show up by now
    rows = await pool.fetch("SELECT event_id FROM applied ORDER BY n")
    assert [r["event_id"] for r in rows] == [event.id, marker.id]
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'dup-test'") == 2


async def test_malformed_messages_go_to_dead_letters_and_the_rest_flows(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    await pool.execute(APPLIED_DDL)
    topic = await fresh_topic(broker.bootstrap, partitions=1)

    async def strict(conn: asyncpg.Connection, event: CloudEvent) -> None:
        CountedV1.model_validate(event.data)
        await count_applied(conn, event)

    bad_schema = cloud_event(0).model_copy(update={"data": {"n": "not a number"}})
    await produce(broker.bootstrap, topic, [
        ("case-1", cloud_event(1).to_bytes()),
        ("case-1", b"{not json"),
        ("case-1", b'{"id": "x"}'),
        ("case-1", bad_schema.to_bytes()),
        ("case-1", cloud_event(2).to_bytes()),
    ])
    consumer = InboxConsumer("dlq-test", [topic], {"test.counted.v1": strict}, pool,
                             make_settings(database_url, broker.bootstrap))
    async with running(consumer):
        await eventually(lambda: pool.fetchval("SELECT count(*) = 2 FROM applied"))
        await eventually(lambda: pool.fetchval("SELECT count(*) = 3 FROM dead_letters"))
    assert [r["n"] for r in await pool.fetch("SELECT n FROM applied ORDER BY n")] == [1, 2]
    rows = await pool.fetch("SELECT reason FROM dead_letters ORDER BY id")
    reasons = [r["reason"] for r in rows]
    assert reasons[0].startswith("not a valid CloudEvent")
    assert reasons[1].startswith("not a valid CloudEvent")
    assert "source: Field required" in reasons[1]
    assert reasons[2] == ("test.counted.v1 violates its schema: n: Input should be a valid "
                          "integer, unable to parse string as an integer")
    dlq = [r for r in await read_topic(broker.bootstrap, DEADLETTER, 100, timeout_ms=3000)
           if dict(r.headers).get("original-topic") == topic.encode()]
    assert len(dlq) == 3
    assert dict(dlq[0].headers)["reason"].decode() == reasons[0]
    assert dlq[0].value == b"{not json"


async def test_transient_failures_are_retried_without_moving_on(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    await pool.execute(APPLIED_DDL)
    topic = await fresh_topic(broker.bootstrap, partitions=1)
    failures = {"left": 3}

    async def flaky(conn: asyncpg.Connection, event: CloudEvent) -> None:
        if event.data["n"] == 1 and failures["left"] > 0:
            failures["left"] -= 1
            raise ConnectionResetError("database went away")
        await count_applied(conn, event)

    await produce(broker.bootstrap, topic, [("case-1", cloud_event(n).to_bytes())
                                            for n in (1, 2, 3)])
    consumer = InboxConsumer("retry-test", [topic], {"test.counted.v1": flaky}, pool,
                             make_settings(database_url, broker.bootstrap))
    async with running(consumer):
        await eventually(lambda: pool.fetchval("SELECT count(*) = 3 FROM applied"))
    # Order kept: event 2 was not applied while event 1 was still failing.
    rows = await pool.fetch("SELECT n FROM applied ORDER BY applied_order")
    assert [r["n"] for r in rows] == [1, 2, 3]
    assert failures["left"] == 0
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0


from pydantic import BaseModel  # noqa: E402


class CountedV1(BaseModel):
    n: int
