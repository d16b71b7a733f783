"""The connection pool against a real PostgreSQL: waiters are served in turn, and a wait that
times out gives its turn back."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from casebus.store.pool import connect_pool


async def test_waiters_are_served_in_the_order_they_asked(database_url: str) -> None:
    """Many tasks take turns on a small pool, as requests do on intake's under load. A task
    is overtaken when the pool serves one that asked after it; in turn, only the few that
    were let in together race (at most the pool's size)."""
    size, tasks, uses = 2, 40, 15
    pool = await connect_pool(database_url, max_size=size)
    tickets = itertools.count()
    waiting: set[int] = set()
    overtaken_most = 0

    async def worker() -> None:
        nonlocal overtaken_most
        for _ in range(uses):
            ticket = next(tickets)
            waiting.add(ticket)
            async with pool.acquire() as conn:
                waiting.discard(ticket)
                overtaken_most = max(overtaken_most, sum(1 for t in waiting if t < ticket))
                await conn.execute("SELECT pg_sleep(0.001)")

    try:
        await asyncio.gather(*(worker() for _ in range(tasks)))
    finally:
        await pool.close()
    assert overtaken_most <= size


async def test_a_wait_that_times_out_gives_its_turn_back(database_url: str) -> None:
    pool = await connect_pool(database_url, max_size=1, acquire_timeout_s=0.2)
    try:
        held = await pool.acquire()
        with pytest.raises(TimeoutError):
            async with pool.acquire():
                pass
        await pool.release(held)
        assert await pool.fetchval("SELECT 1") == 1  # the one connection is free again
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT 2") == 2
    finally:
        await pool.close()
