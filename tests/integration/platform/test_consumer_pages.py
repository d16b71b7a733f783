"""A fetched page of events is applied in one transaction; a failure in it is judged per event."""

from __future__ import annotations

import asyncpg

from casebus.consumer import InboxConsumer
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from tests.conftest import eventually, make_settings
from tests.integration.platform.kafka_tools import cloud_event, fresh_topic, produce
from tests.integration.platform.test_consumer import running

_SEEN_DDL = """CREATE TABLE IF NOT EXISTS seen (
    n integer, event_id text, tx bigint DEFAULT pg_current_xact_id()::text::bigint)"""


async def _record(conn: asyncpg.Connection, event: CloudEvent) -> None:
    await conn.execute("INSERT INTO seen (n, event_id) VALUES ($1, $2)", event.data["n"],
                       event.id)


async def _consumed(pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker,
                    name: str, topic: str, events: int, positions_saved: str
                    ) -> list[asyncpg.Record]:
    """What a consumer of ``topic`` recorded (n, transaction), once it has seen ``events`` and
    its positions satisfy ``positions_saved``."""
    consumer = InboxConsumer(name, [topic], {"test.counted.v1": _record}, pool,
                             make_settings(database_url, broker.bootstrap))
    async with running(consumer):
        await eventually(lambda: pool.fetchval("SELECT count(*) >= $1 FROM seen", events))
        await eventually(lambda: pool.fetchval(f"{positions_saved} WHERE consumer = $1", name))
    return list(await pool.fetch("SELECT n, tx FROM seen ORDER BY n"))


async def test_a_page_is_applied_in_one_transaction_and_a_duplicate_in_it_once(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    await pool.execute(_SEEN_DDL)
    topic = await fresh_topic(broker.bootstrap, partitions=1)
    events = [cloud_event(n) for n in range(1, 9)]
    twice = [*events[:4], events[2], *events[4:]]  # the third is delivered again in the page
    await produce(broker.bootstrap, topic, [("case-1", e.to_bytes()) for e in twice])
    # Saved by the page's inbox statement: the offset of its last message (9 produced).
    rows = await _consumed(pool, database_url, broker, "page-test", topic, 8,
                           "SELECT kafka_offset = 8 FROM consumer_position")
    assert [r["n"] for r in rows] == list(range(1, 9))  # each once, in order
    # Produced before the consumer started, they arrive in one or two fetches: far fewer
    # transactions than events.
    assert len({r["tx"] for r in rows}) <= 2
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'page-test'") == 8


async def test_a_failing_event_in_a_page_is_dead_lettered_alone_and_the_rest_applied_once(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    await pool.execute(_SEEN_DDL)
    topic = await fresh_topic(broker.bootstrap, partitions=1)
    events = [cloud_event(n) for n in range(1, 7)]

    async def fails_on_three(conn: asyncpg.Connection, event: CloudEvent) -> None:
        await _record(conn, event)  # written, then undone with its transaction
        if event.data["n"] == 3:
            raise RuntimeError("a real bug in the handler")

    await produce(broker.bootstrap, topic, [("case-1", e.to_bytes()) for e in events])
    consumer = InboxConsumer("page-poison", [topic], {"test.counted.v1": fails_on_three},
                             pool, make_settings(database_url, broker.bootstrap,
                                                 consumer_max_attempts=2))
    async with running(consumer):
        await eventually(lambda: pool.fetchval("SELECT count(*) = 5 FROM seen"))
        await eventually(lambda: pool.fetchval(
            "SELECT count(*) = 1 FROM dead_letters WHERE consumer = 'page-poison'"))
    assert [r["n"] for r in await pool.fetch("SELECT n FROM seen ORDER BY n")] == [1, 2, 4, 5, 6]
    assert await pool.fetchval("SELECT event_id FROM dead_letters") == events[2].id
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'page-poison'") == 6


async def test_a_fetch_of_several_partitions_is_one_page_with_a_position_in_each(
        pool: asyncpg.Pool, database_url: str, broker: EmbeddedBroker) -> None:
    await pool.execute(_SEEN_DDL)
    topic = await fresh_topic(broker.bootstrap, partitions=4)
    # Eight cases, two events each: keys spread the cases over the partitions.
    events = {f"case-{c}": [cloud_event(10 * c + k, f"case-{c}") for k in (1, 2)]
              for c in range(8)}
    await produce(broker.bootstrap, topic,
                  [(case, e.to_bytes()) for k in (0, 1) for case, two in events.items()
                   for e in two[k:k + 1]])
    rows = await _consumed(pool, database_url, broker, "page-spans", topic, 16,
                           "SELECT count(*) >= 2 FROM consumer_position")
    assert sorted(r["n"] for r in rows) == sorted(e.data["n"] for two in events.values()
                                                  for e in two)
    # Produced before the consumer started: one or two fetches, each one transaction, though
    # the events lie in several partitions.
    assert len({r["tx"] for r in rows}) <= 2
    # A case's events still in their order (its partition's).
    order = {r["n"]: i for i, r in enumerate(await pool.fetch(
        "SELECT n FROM seen ORDER BY tx, ctid"))}
    assert all(order[10 * c + 1] < order[10 * c + 2] for c in range(8))
    # Each partition's position is its last offset (two events of each of its cases).
    positions = {r["partition"]: r["kafka_offset"] for r in await pool.fetch(
        "SELECT partition, kafka_offset FROM consumer_position WHERE consumer = 'page-spans'")}
    inbox = await pool.fetch("SELECT partition, count(*) AS n FROM inbox "
                             "WHERE consumer = 'page-spans' GROUP BY partition")
    assert len(inbox) >= 2
    assert positions == {r["partition"]: r["n"] - 1 for r in inbox}
