"""The per-event statements read a few rows whatever the history, also under a plan that
PostgreSQL cached while the tables were nearly empty.

A service prepares each statement once per connection, and PostgreSQL keeps a generic plan for
it until the table is analyzed again. A plan made on a new database's empty tables (a hash join
over a scan of the table, a range of the whole district's index) then ran on every event while
the tables grew, and the bench's latency grew round after round (bench/README.md). The tests
count the table rows a statement reads: an append under a plan cached while the table was small
and analyzed (as autovacuum leaves a young table) and then grew with autovacuum off; a case's
streams on a long history; and a lookup no statement can protect, made again by autovacuum.
And a relay read asks for the commit horizon once, not once per row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from casebus.personal_data import DDL as PERSONAL_DDL
from casebus.personal_data import Identified, petitioner_ids_for
from casebus.relay import _PENDING
from casebus.store import EventStore, NewEvent, Publication
from tests.conftest import eventually

SMALL = 50  # about when autovacuum first analyzes a table
HISTORY = 3000
FEW = 20  # rows a point lookup may read: its own, and a little slack

_READ = """SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0)::bigint
           FROM pg_stat_xact_user_tables"""


def event() -> NewEvent:
    event_id = str(uuid4())
    return NewEvent(event_id=event_id, type="test.happened.v1", district="d1",
                    occurred_at=datetime.now(UTC), data={}, metadata={},
                    publication=Publication("t", "k", {"id": event_id}))


async def rows_read(conn: asyncpg.Connection, work: Callable[[], Awaitable[Any]]) -> int:
    """Table rows read by ``work`` on ``conn`` (this transaction's own statistics)."""
    async with conn.transaction():
        before = await conn.fetchval(_READ)
        await work()
        after = await conn.fetchval(_READ)
    return int(after - before)


@pytest.fixture
async def cached(pool: asyncpg.Pool) -> Any:
    """A connection that plans each statement once, generically, and keeps the plan."""
    await pool.execute("ALTER TABLE events SET (autovacuum_enabled = false)")
    async with pool.acquire() as conn:
        await conn.execute("SET plan_cache_mode = force_generic_plan")
        yield conn
        await conn.execute("RESET plan_cache_mode")


async def grow_events(pool: asyncpg.Pool, count: int) -> None:
    """History in other streams, written as the store writes it (one transaction each, so
    the commit-order index holds many transactions)."""
    store = EventStore(pool)
    for _ in range(count // 10):
        await store.append(f"other-{uuid4()}", 0, [event() for _ in range(10)])


async def test_appending_a_new_stream_reads_no_other_streams_events(
        pool: asyncpg.Pool, cached: asyncpg.Connection) -> None:
    store = EventStore(pool)
    await grow_events(pool, SMALL)
    await pool.execute("ANALYZE events")
    await store.append(f"new-{uuid4()}", 0, [event()], conn=cached)  # planned while small
    await grow_events(pool, HISTORY)

    read = await rows_read(cached, lambda: store.append(f"new-{uuid4()}", 0, [event()],
                                                        conn=cached))
    assert read <= FEW, f"appending one event to a new stream read {read} rows"
    again = f"new-{uuid4()}"
    await store.append(again, 0, [event()], conn=cached)
    read = await rows_read(cached, lambda: store.append(again, 1, [event()], conn=cached))
    assert read <= FEW, f"appending to a stream of one event read {read} rows"


async def test_loading_a_cases_streams_on_a_long_history_reads_only_their_events(
        pool: asyncpg.Pool) -> None:
    """As accountability loads a case's clocks: a few short streams among thousands, the
    index of them analyzed when it said more streams per case (statistics lag)."""
    store = EventStore(pool)
    await pool.execute("CREATE TABLE named (stream_id text, owner text)")
    await pool.execute("CREATE INDEX named_by_owner ON named (owner)")
    await pool.execute("INSERT INTO named SELECT 'x:' || n, 'x' FROM generate_series(1, 50) n")
    await pool.execute("ANALYZE named")
    for n in range(HISTORY // 3):
        owner = "a" if n == 0 else f"case-{n}"
        await pool.execute("INSERT INTO named VALUES ($1, $2), ($3, $2)",
                           f"{owner}:1", owner, f"{owner}:2")
        await store.append(f"{owner}:1", 0, [event(), event()])
        await store.append(f"{owner}:2", 0, [event()])
    await pool.execute("ANALYZE events")
    select = "SELECT stream_id FROM named WHERE owner = $1"
    loaded: dict[str, Any] = {}

    async def load() -> None:
        loaded.update(await store.load_selected(select, "a", conn=conn))

    async with pool.acquire() as conn:
        read = await rows_read(conn, load)
    assert {s: len(events) for s, events in loaded.items()} == {"a:1": 2, "a:2": 1}
    assert read <= FEW, f"loading 3 events of 2 streams read {read} rows"


async def test_a_plan_cached_on_a_young_table_is_made_again_once_the_table_grew(
        pool: asyncpg.Pool) -> None:
    """Where no statement can help it (a lookup planned on a table of one page is a scan of
    it), autovacuum's analyze makes the plan again (casebus.embedded.postgres)."""
    await pool.execute(PERSONAL_DDL)
    grow = ("INSERT INTO petitioner_identities (district, digest, petitioner_id) "
            "SELECT 'd1', md5(random()::text), 'p-' || gen_random_uuid() "
            "FROM generate_series(1, $1)")
    await pool.execute(grow, SMALL)
    await pool.execute("ANALYZE petitioner_identities")
    async with pool.acquire() as conn:
        await conn.execute("SET plan_cache_mode = force_generic_plan")
        first = await petitioner_ids_for(conn, "secret", "d1", [("ID-0",)])  # planned small
        await pool.execute(grow, HISTORY)
        found: list[Any] = []

        async def identify() -> None:
            found[:] = await petitioner_ids_for(conn, "secret", "d1", [("ID-0",)])

        async def few_rows_read() -> bool:
            return await rows_read(conn, identify) <= FEW

        assert await eventually(few_rows_read, timeout=60, interval=1.0)
        await conn.execute("RESET plan_cache_mode")
    assert found == [Identified(first[0].petitioner_id, first_time=False)]


async def test_a_relay_read_asks_for_the_commit_horizon_once(pool: asyncpg.Pool) -> None:
    """Once per read, not per row: while transactions run, the horizon reads every session's
    transaction (pg_stat_activity). Written as a subquery in FROM, the planner put the call
    into each row's expressions, twice per row."""
    await EventStore(pool).append("case-1", 0, [event()])
    plan = await pool.fetch(f"EXPLAIN (VERBOSE) {_PENDING}", "0", 0, 500)
    assert "\n".join(row[0] for row in plan).count("commit_horizon()") == 1
