"""The connection pool against a real PostgreSQL: waiters are served in turn, and a wait that
times out gives its turn back."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from casebus.store.bounded_pool import REFUSE_WHEN_BUSY, BoundedPool, PoolBusy
from casebus.store.pool import connect_pool
from tests.conftest import eventually


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


async def trained(pool: BoundedPool, hold_s: float) -> None:
    """One use of ``hold_s``: the pool's first hold is its measure of how long one takes."""
    async with pool.acquire():
        await asyncio.sleep(hold_s)


async def test_a_wait_that_would_outlast_the_timeout_is_refused_at_once(
        database_url: str) -> None:
    """One connection, held 0.4 s a use, and a 1 s timeout: behind one waiter a request would
    wait about 0.8 s, and is let in; behind two, about 1.2 s, and is refused without waiting,
    while background work (not marked as a request) waits its turn. All let in are served once
    the connection comes back."""
    pool = await connect_pool(database_url, max_size=1, acquire_timeout_s=1.0)
    try:
        await trained(pool, 0.4)
        held = await pool.acquire()

        async def use() -> int:
            async with pool.acquire() as conn:
                return int(await conn.fetchval("SELECT 1"))

        first = asyncio.create_task(use())
        await eventually(lambda: pool.waiting == 1, timeout=5)
        assert pool.expected_wait() == pytest.approx(0.8, abs=0.15)  # held 0.4 s or a bit more
        second = asyncio.create_task(use())  # about 0.8 s: let in
        await eventually(lambda: pool.waiting == 2, timeout=5)
        started = time.monotonic()
        request = REFUSE_WHEN_BUSY.set(True)  # as casebus.http_busy marks an HTTP request
        try:
            with pytest.raises(PoolBusy) as refused:
                await pool.acquire()
        finally:
            REFUSE_WHEN_BUSY.reset(request)
        assert time.monotonic() - started < 0.2
        assert refused.value.waiting == 2
        assert refused.value.expected_s == pytest.approx(1.2, abs=0.25)
        background = asyncio.create_task(use())
        await eventually(lambda: pool.waiting == 3, timeout=5)
        await pool.release(held)
        served = await asyncio.wait_for(asyncio.gather(first, second, background), timeout=2)
        assert served == [1, 1, 1]
        assert pool.waiting == 0 and pool.expected_wait() == 0.0
    finally:
        pool.terminate()  # a failed check may leave a connection held


async def test_a_pool_that_never_measured_a_hold_refuses_no_one(database_url: str) -> None:
    """Until a connection comes back there is no measure of a hold: even requests wait their
    timeout."""
    pool = await connect_pool(database_url, max_size=1, acquire_timeout_s=0.3)
    try:
        held = await pool.acquire()

        async def wait() -> BaseException | None:
            REFUSE_WHEN_BUSY.set(True)  # a request (this task's own context)
            try:
                await pool.acquire()
            except TimeoutError as exc:
                return exc
            return None

        started = time.monotonic()
        waits = await asyncio.gather(*(wait() for _ in range(3)))
        assert time.monotonic() - started >= 0.25  # each waited its timeout
        assert all(isinstance(w, TimeoutError) and not isinstance(w, PoolBusy) for w in waits)
        await pool.release(held)
    finally:
        pool.terminate()  # a failed check may leave a connection held
