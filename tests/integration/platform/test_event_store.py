"""The event store against a real PostgreSQL: concurrency and gap-safe reading."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
import pytest

from casebus.embedded.postgres import EmbeddedPostgres
from casebus.store import (
    ConcurrencyError,
    EventStore,
    GlobalPosition,
    NewEvent,
    Publication,
    connect_pool,
    migrate,
)
from casebus.store.pool import ensure_database


def new_event(n: int = 0, publish: bool = True) -> NewEvent:
    event_id = str(uuid4())
    return NewEvent(event_id=event_id, type="test.happened.v1", district="d1",
                    occurred_at=datetime.now(UTC), data={"n": n}, metadata={},
                    publication=Publication("t", "k", {"id": event_id}) if publish else None)


async def test_append_and_load_in_order(pool: asyncpg.Pool) -> None:
    store = EventStore(pool)
    assert await store.append("case-1", 0, [new_event(1), new_event(2)]) == 2
    assert await store.append("case-1", 2, [new_event(3)]) == 3
    loaded = await store.load("case-1")
    assert [e.data["n"] for e in loaded] == [1, 2, 3]
    assert [e.version for e in loaded] == [1, 2, 3]


async def test_load_selected_gives_each_named_stream_in_version_order(
        pool: asyncpg.Pool) -> None:
    store = EventStore(pool)
    await store.append("clock:c1:a", 0, [new_event(1)])
    await store.append("clock:c2:a", 0, [new_event(9)])
    await store.append("clock:c1:b", 0, [new_event(2), new_event(3)])
    await store.append("clock:c1:a", 1, [new_event(4)])
    await pool.execute("CREATE TABLE named (stream_id text, owner text)")
    await pool.executemany("INSERT INTO named VALUES ($1, $2)", [
        ("clock:c1:a", "c1"), ("clock:c1:b", "c1"), ("clock:c1:never", "c1"),
        ("clock:c2:a", "c2")])
    streams = await store.load_selected("SELECT stream_id FROM named WHERE owner = $1", "c1")
    assert {k: [(e.version, e.data["n"]) for e in v] for k, v in streams.items()} == {
        "clock:c1:a": [(1, 1), (2, 4)], "clock:c1:b": [(1, 2), (2, 3)]}
    assert await store.load_selected("SELECT stream_id FROM named WHERE owner = $1", "c9") == {}


async def test_events_and_outbox_rows_are_written_together(pool: asyncpg.Pool) -> None:
    store = EventStore(pool)
    await store.append("case-1", 0, [new_event(1), new_event(2, publish=False)])
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1
    with pytest.raises(ConcurrencyError):
        await store.append("case-1", 0, [new_event(3)])
    # The refused append left neither an event nor an outbox row behind.
    assert await pool.fetchval("SELECT count(*) FROM events") == 2
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1


async def test_two_concurrent_appends_at_same_version_one_wins(pool: asyncpg.Pool) -> None:
    store = EventStore(pool)
    await store.append("case-1", 0, [new_event(0)])
    for round_ in range(20):
        results = await asyncio.gather(
            store.append("case-1", 1 + round_, [new_event(1)]),
            store.append("case-1", 1 + round_, [new_event(2)]),
            return_exceptions=True)
        wins = [r for r in results if not isinstance(r, BaseException)]
        losses = [r for r in results if isinstance(r, ConcurrencyError)]
        assert len(wins) == 1 and len(losses) == 1, results
    assert len(await store.load("case-1")) == 21


@pytest.mark.parametrize("count", [1, 2], ids=["one event", "two events"])
async def test_append_refuses_a_version_gap_and_a_stale_version(
        pool: asyncpg.Pool, count: int) -> None:
    store = EventStore(pool)
    await store.append("case-1", 0, [new_event(0), new_event(1)])
    for expected in (5, 1, 0):
        with pytest.raises(ConcurrencyError):
            await store.append("case-1", expected, [new_event(n) for n in range(count)])
    assert await store.append("case-1", 2, [new_event(n) for n in range(count)]) == 2 + count


@pytest.fixture
async def elsewhere(embedded_postgres: EmbeddedPostgres) -> AsyncIterator[asyncpg.Pool]:
    """A pool on another database of the same server (another service's)."""
    url = embedded_postgres.dsn(f"t_{uuid4().hex[:12]}")
    await ensure_database(url)
    other = await connect_pool(url, max_size=10)
    await migrate(other)
    yield other
    await other.close()


@pytest.mark.parametrize("foreign", [0, 8], ids=["one database", "another database too"])
async def test_reader_never_skips_concurrent_appends(pool: asyncpg.Pool,
                                                     elsewhere: asyncpg.Pool,
                                                     foreign: int) -> None:
    """Writers hold their transactions open for random moments so that positions commit out of
    order; a reader tailing read_all must still see every event exactly once. With
    ``foreign`` more writers doing the same in another database: the horizon passes over their
    transactions, and that must not skip any of this database's events."""
    store, other = EventStore(pool), EventStore(elsewhere)
    writers, per_writer = 16, 40
    total = writers * per_writer
    seen: list[str] = []

    async def writer(w: int, into: EventStore) -> None:
        for i in range(per_writer):
            async with into.pool.acquire() as conn, conn.transaction():
                await into.append(f"case-{w}", i, [new_event(i)], conn)
                # Hold the transaction: a later writer may take a higher position and commit first.
                await asyncio.sleep(0.001 * ((w * 7 + i * 3) % 5))

    async def reader() -> None:
        position = GlobalPosition(0, 0)
        while len(seen) < total:
            batch = await store.read_all(position, limit=37)
            for e in batch:
                seen.append(e.event_id)
                position = e.global_position
            if not batch:
                await asyncio.sleep(0.001)

    await asyncio.wait_for(asyncio.gather(
        reader(), *(writer(w, store) for w in range(writers)),
        *(writer(w, other) for w in range(foreign))), 120)
    all_ids = {r["event_id"] for r in await pool.fetch("SELECT event_id::text FROM events")}
    assert len(seen) == total
    assert set(seen) == all_ids


async def _open_transaction(conn: asyncpg.Connection) -> asyncpg.transaction.Transaction:
    """A transaction that has written (it has an id) and stays open."""
    tx = conn.transaction()
    await tx.start()
    await conn.execute("INSERT INTO idempotency_keys (district, key, request_hash) "
                       "VALUES ('d1', 'k', 'h')")
    return tx


async def test_another_databases_open_transaction_does_not_hold_readers_back(
        pool: asyncpg.Pool, elsewhere: asyncpg.Pool) -> None:
    store = EventStore(pool)
    async with elsewhere.acquire() as theirs:
        tx = await _open_transaction(theirs)
        await store.append("case-1", 0, [new_event(1)])
        # Their transaction is older than the append and still running; it cannot write here.
        assert [e.stream_id for e in await store.read_all()] == ["case-1"]
        await tx.rollback()


async def test_a_role_without_privileges_reads_past_other_databases_transactions(
        pool: asyncpg.Pool, elsewhere: asyncpg.Pool, database_url: str) -> None:
    """pg_stat_activity shows every session's transaction id to every role, so a service that
    connects as a plain role (no pg_read_all_stats) is not held back by another database's
    transactions either; its own database's still hold it back."""
    role = f"plain_{uuid4().hex[:8]}"
    await pool.execute(f"CREATE ROLE {role} LOGIN")
    await pool.execute(f"GRANT SELECT ON events TO {role}")
    readable = "SELECT stream_id FROM events WHERE tx_id < commit_horizon()"
    try:
        plain = await asyncpg.connect(database_url.replace("postgres@", f"{role}@"))
        try:
            await EventStore(pool).append("case-1", 0, [new_event(1)])
            async with elsewhere.acquire() as theirs, pool.acquire() as ours:
                their_tx = await _open_transaction(theirs)
                assert len(await plain.fetch(readable)) == 1
                our_tx = await _open_transaction(ours)
                await EventStore(pool).append("case-2", 0, [new_event(2)])
                assert [r["stream_id"] for r in await plain.fetch(readable)] == ["case-1"]
                await our_tx.rollback()
                await their_tx.rollback()
            assert len(await plain.fetch(readable)) == 2
        finally:
            await plain.close()
    finally:
        await pool.execute(f"REVOKE ALL ON events FROM {role}")
        await pool.execute(f"DROP ROLE {role}")


async def test_reader_waits_for_a_lower_position_that_commits_late(pool: asyncpg.Pool) -> None:
    """The hazard itself, made deterministic: A takes a position, B takes the next and commits
    first. Reading by position alone would return B and then never A."""
    store = EventStore(pool)
    async with pool.acquire() as slow:
        tx = slow.transaction()
        await tx.start()
        await store.append("case-A", 0, [new_event(1)], slow)
        await store.append("case-B", 0, [new_event(2)])
        naive = await pool.fetch("SELECT stream_id FROM events ORDER BY position")
        assert [r["stream_id"] for r in naive] == ["case-B"]  # a naive reader sees B only...
        assert await store.read_all() == []  # ...the gap-safe reader waits for A
        await tx.commit()
    streams = [e.stream_id for e in await store.read_all()]
    assert sorted(streams) == ["case-A", "case-B"]
