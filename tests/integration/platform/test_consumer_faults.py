"""The consumer under faults: transient failures never count as attempts, and a poison message
is dead-lettered once per consumer however often it is delivered again."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg

from casebus.consumer import InboxConsumer
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from casebus.transient import is_transient
from tests.conftest import eventually, make_settings
from tests.integration.platform.kafka_tools import (
    APPLIED_DDL,
    cloud_event,
    count_applied,
    fresh_topic,
    produce,
)


@contextlib.asynccontextmanager
async def running(consumer: InboxConsumer):  # type: ignore[no-untyped-def]
    task = asyncio.create_task(consumer.run())
    try:
        yield task
    finally:
        consumer.stopping = True
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def test_sqlstates_of_outages_are_transient() -> None:
    def error(sqlstate: str) -> asyncpg.PostgresError:
        exc = asyncpg.PostgresError("x")
        exc.sqlstate = sqlstate  # type: ignore[attr-defined]
        return exc

    for state in ("08006", "40001", "40P01", "53300", "57P01", "57P02", "57P03"):
        assert is_transient(error(state)), state
    for state in ("23505", "42P01", "22P02", "57014"):  # unique, undefined table, bad input...
        assert not is_transient(error(state)), state
    assert is_transient(ConnectionResetError()) and not is_transient(ValueError())
    # A connection broken mid-operation when the server was killed (found by ./dev chaos).
    assert is_transient(asyncpg.InternalClientError("cannot switch to state 15"))


async def test_transient_failures_do_not_count_towards_the_attempt_limit(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    await pool.execute(APPLIED_DDL)
    topic = await fresh_topic(broker.bootstrap, partitions=1)
    seen: list[str] = []

    async def unlucky(conn: asyncpg.Connection, event: CloudEvent) -> None:
        # Three connection resets, then a real error, then it works: with max 2 attempts the
        # event must still apply (only one real failure counted).
        seen.append("x")
        if len(seen) <= 3:
            raise ConnectionResetError("connection reset by peer")
        if len(seen) == 4:
            raise RuntimeError("a bug that a retry gets past")
        await count_applied(conn, event)

    await produce(broker.bootstrap, topic, [("case-1", cloud_event(1).to_bytes())])
    consumer = InboxConsumer("transient-test", [topic], {"test.counted.v1": unlucky}, pool,
                             make_settings(database_url, broker.bootstrap,
                                           consumer_max_attempts=2))
    async with running(consumer):
        await eventually(lambda: pool.fetchval("SELECT count(*) = 1 FROM applied"), timeout=40)
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0
    assert len(seen) == 5


async def test_a_poison_event_is_dead_lettered_once_across_restarts(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    await pool.execute(APPLIED_DDL)
    topic = await fresh_topic(broker.bootstrap, partitions=1)

    async def always_fails(conn: asyncpg.Connection, event: CloudEvent) -> None:
        if event.data["n"] == 1:
            raise RuntimeError("cannot apply this one")
        await count_applied(conn, event)

    poison = cloud_event(1)
    settings = make_settings(database_url, broker.bootstrap, consumer_max_attempts=2)
    consumer = InboxConsumer("poison-test", [topic], {"test.counted.v1": always_fails}, pool,
                             settings)
    for round_ in range(1, 4):
        # The same poison event and the same bad bytes arrive again each round, as when a relay
        # republishes its outbox after the broker lost its log, or a consumer restarts.
        await produce(broker.bootstrap, topic, [("case-1", poison.to_bytes()),
                                                ("case-1", b"\x00not an event"),
                                                ("case-1", cloud_event(1 + round_).to_bytes())])
        async with running(consumer):
            await eventually(lambda n=round_: pool.fetchval(
                "SELECT count(*) = $1 FROM applied", n))
            await asyncio.sleep(0.5)  # a second dead letter would show up by now
        consumer = InboxConsumer("poison-test", [topic], {"test.counted.v1": always_fails},
                                 pool, settings)
    rows = await pool.fetch("SELECT event_id, district FROM dead_letters ORDER BY id")
    assert len(rows) == 2
    assert rows[0]["event_id"] == poison.id and rows[0]["district"] == "d1"
    assert rows[1]["event_id"] is None and rows[1]["district"] is None
