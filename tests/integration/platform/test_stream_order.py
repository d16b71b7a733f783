"""One stream's versions reach readers in order, also when a writer's transaction took its id
before it loaded the stream (two instances of a service writing to one case)."""

from __future__ import annotations

import asyncpg
import pytest

from casebus.store import ConcurrencyError, EventStore
from tests.integration.platform.test_event_store import new_event


@pytest.mark.parametrize("count", [1, 2], ids=["one event", "two events"])
async def test_a_version_written_under_an_older_transaction_id_is_refused(
        pool: asyncpg.Pool, count: int) -> None:
    store = EventStore(pool)
    early = await pool.acquire()
    try:
        tx = early.transaction()
        await tx.start()
        # The first instance's transaction writes first (an idempotency key, an inbox row)
        # and so holds the older transaction id...
        await early.execute("INSERT INTO idempotency_keys (district, key, request_hash) "
                            "VALUES ('d1', 'k', 'h')")
        # ...while the second instance appends version 1 of the case and commits.
        await store.append("case-1", 0, [new_event(1)])
        # The first now appends version 2: a reader ordering by transaction id would see it
        # before version 1. Refused: decide again in a new transaction.
        with pytest.raises(ConcurrencyError, match="later transaction"):
            await store.append("case-1", 1, [new_event(n) for n in range(count)], conn=early)
        await tx.rollback()
    finally:
        await pool.release(early)
    await store.append("case-1", 1, [new_event(2)])  # the retry, with a newer id
    read = await store.read_all()
    assert [(e.stream_id, e.version) for e in read] == [("case-1", 1), ("case-1", 2)]


async def test_one_transaction_may_append_twice_to_a_stream(pool: asyncpg.Pool) -> None:
    store = EventStore(pool)
    async with pool.acquire() as conn, conn.transaction():
        await store.append("case-1", 0, [new_event(1)], conn=conn)
        await store.append("case-1", 1, [new_event(2)], conn=conn)
    assert [e.version for e in await store.load("case-1")] == [1, 2]
