"""The outbox relay: order, keys, envelope, and refilling a broker that restarted empty."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
from aiokafka import AIOKafkaProducer

from casebus import broker_epoch
from casebus.consumer import InboxConsumer
from casebus.embedded.broker import EmbeddedBroker
from casebus.embedded.postgres import EmbeddedPostgres
from casebus.envelope import CloudEvent, make_cloud_event
from casebus.relay import Batch, OutboxRelay
from casebus.store import EventStore, NewEvent, Publication
from tests.conftest import eventually, make_settings
from tests.integration.platform.kafka_tools import (
    applied_per_case,
    count_applied,
    counting_database,
    fresh_topic,
    read_topic,
)


async def append_case_events(store: EventStore, topic: str, case_id: str, start: int,
                             count: int) -> None:
    events = []
    for n in range(start, start + count):
        event = make_cloud_event(event_id=str(uuid4()), source="urn:test",
                                 wire_type="test.counted.v1", subject=case_id,
                                 time=datetime.now(UTC), district="d1", correlation_id="c",
                                 causation_id="c", actor="test", data={"n": n})
        events.append(NewEvent(event_id=event.id, type=event.type, district="d1",
                               occurred_at=event.time, data={"n": n},
                               publication=Publication(topic, case_id,
                                                       event.model_dump(mode="json"))))
    await store.append(case_id, start, events)


@contextlib.asynccontextmanager
async def running(*runnables):  # type: ignore[no-untyped-def]
    tasks = [asyncio.create_task(r.run()) for r in runnables]
    try:
        yield
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_relay_publishes_in_order_keyed_by_case(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    topic = await fresh_topic(broker.bootstrap)
    store = EventStore(pool)
    for c in range(5):
        await append_case_events(store, topic, f"case-{c}", 0, 10)
    relay = OutboxRelay(pool, make_settings(database_url, broker.bootstrap), name="order-test")
    async with running(relay):
        records = await read_topic(broker.bootstrap, topic, 50)
    assert len(records) == 50
    per_case: dict[str, list[int]] = defaultdict(list)
    for r in records:
        event = CloudEvent.from_bytes(r.value)
        assert r.key.decode() == event.subject
        assert dict(r.headers)["content-type"] == b"application/cloudevents+json"
        per_case[event.subject].append(event.data["n"])
    assert all(ns == list(range(10)) for ns in per_case.values()), per_case
    assert await relay.checkpoint() != (0, 0)


async def test_broker_restart_refills_and_nothing_is_applied_twice(
        pool: asyncpg.Pool, database_url: str, own_broker: EmbeddedBroker,
        embedded_postgres: EmbeddedPostgres) -> None:
    async with counting_database(embedded_postgres) as (consumer_db, consumer_pool):
        topic = await fresh_topic(own_broker.bootstrap)
        store = EventStore(pool)
        for c in range(20):
            await append_case_events(store, topic, f"case-{c}", 0, 5)
        relay = OutboxRelay(pool, make_settings(database_url, own_broker.bootstrap))
        consumer = InboxConsumer("restart-test", [topic], {"test.counted.v1": count_applied},
                                 consumer_pool, make_settings(consumer_db, own_broker.bootstrap))
        applied = "SELECT count(*) FROM applied"
        async with running(relay, consumer):
            await eventually(lambda: consumer_pool.fetchval(f"{applied} HAVING count(*) = 100"))
            own_broker.restart()  # comes back with no topics, records or offsets
            for c in range(20):
                await append_case_events(store, topic, f"case-{c}", 5, 3)
            await eventually(lambda: consumer_pool.fetchval(f"{applied} HAVING count(*) >= 160"),
                             timeout=90)
            await asyncio.sleep(2)  # redelivered old events must not be applied again
        assert await consumer_pool.fetchval(applied) == 160
        assert await consumer_pool.fetchval("SELECT count(DISTINCT event_id) FROM applied") == 160
        # Per case, events were applied in order across the restart.
        per_case = await applied_per_case(consumer_pool)
        assert all(ns == list(range(8)) for ns in per_case.values())


async def test_a_new_relay_republishes_to_a_broker_that_lost_its_log_while_it_was_down(
        pool: asyncpg.Pool, database_url: str, own_broker: EmbeddedBroker) -> None:
    """The whole system stopped and started again: PostgreSQL kept its data, the embedded
    broker did not. Events published before the stop must be published again."""
    topic = await fresh_topic(own_broker.bootstrap)
    await append_case_events(EventStore(pool), topic, "case-1", 0, 5)
    settings = make_settings(database_url, own_broker.bootstrap)
    async with running(OutboxRelay(pool, settings)):
        assert len(await read_topic(own_broker.bootstrap, topic, 5)) == 5
    own_broker.restart()  # while no relay runs
    await fresh_topic(own_broker.bootstrap, name=topic)
    async with running(OutboxRelay(pool, settings)):
        records = await read_topic(own_broker.bootstrap, topic, 5)
    assert [CloudEvent.from_bytes(r.value).data["n"] for r in records] == [0, 1, 2, 3, 4]



async def test_relay_survives_a_broker_that_stays_down_for_a_while(
        pool: asyncpg.Pool, database_url: str, own_broker: EmbeddedBroker) -> None:
    topic = await fresh_topic(own_broker.bootstrap)
    store = EventStore(pool)
    await append_case_events(store, topic, "case-1", 0, 2)
    relay = OutboxRelay(pool, make_settings(database_url, own_broker.bootstrap))
    async with running(relay):
        assert len(await read_topic(own_broker.bootstrap, topic, 2)) == 2
        own_broker.kill()
        await append_case_events(store, topic, "case-1", 2, 3)  # written while it is down
        await asyncio.sleep(4)  # publishing fails; the relay must keep trying, not die
        own_broker.start()  # back, and empty
        await fresh_topic(own_broker.bootstrap, name=topic)
        await eventually(lambda: _published_all(own_broker.bootstrap, topic, 5), timeout=60)


async def _published_all(bootstrap: str, topic: str, n: int) -> bool:
    # At-least-once: a refill may publish an event twice; every event must be there.
    records = await read_topic(bootstrap, topic, 10 * n, timeout_ms=2000)
    return {CloudEvent.from_bytes(r.value).data["n"] for r in records} == set(range(n))


async def test_a_restart_is_noticed_before_the_next_event_is_published(
        pool: asyncpg.Pool, database_url: str, own_broker: EmbeddedBroker) -> None:
    """The background epoch watch is made too slow to notice here: the relay's check before
    each batch must find the lost log, so the refill goes out first and the case's events stay
    in order on the new broker."""
    topic = await fresh_topic(own_broker.bootstrap)
    store = EventStore(pool)
    await append_case_events(store, topic, "case-1", 0, 3)
    settings = make_settings(database_url, own_broker.bootstrap,
                             broker_epoch_check_seconds=3600.0)
    async with running(OutboxRelay(pool, settings)):
        assert len(await read_topic(own_broker.bootstrap, topic, 3)) == 3
        own_broker.restart()  # back empty, while the relay keeps running
        await fresh_topic(own_broker.bootstrap, name=topic)
        await append_case_events(store, topic, "case-1", 3, 2)
        await eventually(lambda: _published_all(own_broker.bootstrap, topic, 5), timeout=60)
        records = await read_topic(own_broker.bootstrap, topic, 5)
    assert [CloudEvent.from_bytes(r.value).data["n"] for r in records][:5] == [0, 1, 2, 3, 4]



async def test_a_commit_wakes_the_relay_without_polling(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    """With polling made hourly, only the appending transaction's notification can get the
    second event out."""
    topic = await fresh_topic(broker.bootstrap)
    store = EventStore(pool)
    await append_case_events(store, topic, "case-1", 0, 1)
    settings = make_settings(database_url, broker.bootstrap, relay_idle_seconds=3600.0)
    async with running(OutboxRelay(pool, settings)):
        await eventually(lambda: _published_all(broker.bootstrap, topic, 1), timeout=30)
        await asyncio.sleep(0.5)  # the relay is asleep now, for an hour
        await append_case_events(store, topic, "case-1", 1, 1)
        await eventually(lambda: _published_all(broker.bootstrap, topic, 2), timeout=30)


async def test_a_row_held_back_by_an_older_transaction_goes_out_when_it_ends(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    """The append commits and wakes the relay, but an older transaction still runs, so the row
    may not go out yet; nothing wakes the relay again (polling is hourly), yet the relay saw
    the row held back and keeps looking until it is readable."""
    topic = await fresh_topic(broker.bootstrap)
    store = EventStore(pool)
    settings = make_settings(database_url, broker.bootstrap, relay_idle_seconds=3600.0)
    async with running(OutboxRelay(pool, settings)):
        older = await asyncpg.connect(database_url)
        try:
            await older.execute("BEGIN; SELECT pg_current_xact_id()")  # takes an id first
            await append_case_events(store, topic, "case-1", 0, 1)
            await asyncio.sleep(1.0)  # the relay has read, and found the row held back
            assert not await _published_all(broker.bootstrap, topic, 1)
            await older.execute("COMMIT")
        finally:
            await older.close()
        await eventually(lambda: _published_all(broker.bootstrap, topic, 1), timeout=10)


async def test_an_idle_relay_does_not_read_again_until_woken(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    topic = await fresh_topic(broker.bootstrap)
    store = EventStore(pool)
    settings = make_settings(database_url, broker.bootstrap, relay_idle_seconds=3600.0)
    relay = OutboxRelay(pool, settings)
    reads = 0
    publish = relay.publish_pending

    async def counted() -> Batch:
        nonlocal reads
        reads += 1
        return await publish()

    relay.publish_pending = counted  # type: ignore[method-assign]
    async with running(relay):
        await append_case_events(store, topic, "case-1", 0, 1)
        await eventually(lambda: _published_all(broker.bootstrap, topic, 1), timeout=30)
        await asyncio.sleep(0.5)
        settled = reads
        await asyncio.sleep(1.0)
        assert reads == settled  # asleep: no polling, no backing off
        await append_case_events(store, topic, "case-1", 1, 1)
        await eventually(lambda: _published_all(broker.bootstrap, topic, 2), timeout=30)


async def test_the_lifetime_is_asked_again_only_when_the_publisher_reconnected(
        broker: EmbeddedBroker) -> None:
    epoch = await broker_epoch.establish_epoch(broker.bootstrap, partitions=4, replication=1)
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    await producer.start()
    gate = broker_epoch.EpochGate(broker.bootstrap, epoch)
    asked = 0
    read = gate._read

    async def counted() -> str | None:
        nonlocal asked
        asked += 1
        return await read()

    gate._read = counted  # type: ignore[method-assign]
    try:
        topic = await fresh_topic(broker.bootstrap)
        await producer.send_and_wait(topic, b"x", key=b"k")  # its connections are open now
        assert await gate.still_open(producer) and await gate.still_open(producer)
        assert asked == 1
        await producer.client.close()  # as a broker restart would close them
        await producer.send_and_wait(topic, b"y", key=b"k")  # reconnected
        assert await gate.still_open(producer)
        assert asked == 2
    finally:
        await gate.close()
        await broker_epoch.stop_client(producer)
