"""The pool every service uses (``connect_pool``): waiters served in turn, a wait that gives up,
and an HTTP request refused at once when the queue ahead of it could not be served in time."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from contextvars import ContextVar
from typing import Any

import asyncpg

from casebus.observability import POOL_REFUSED

HOLD_WEIGHT = 0.1  # of the latest release in the moving mean of how long a connection is held
# Set for the HTTP requests' tasks only (``casebus.http_busy``): a client can retry later, while a
# relay, consumer or worker refused at once would fail in quick succession and be given up.
REFUSE_WHEN_BUSY: ContextVar[bool] = ContextVar("refuse_when_busy", default=False)


class PoolBusy(TimeoutError):
    """Refused without waiting: the tasks already waiting for a connection would keep this one
    waiting longer than the acquire timeout, at the end of which it would be refused anyway.
    A TimeoutError, so whatever copes with a timed-out wait copes with this; the HTTP layer
    answers it 503 with Retry-After the expected wait."""

    def __init__(self, waiting: int, expected_s: float) -> None:
        super().__init__(f"{waiting} tasks wait for a database connection (about "
                         f"{expected_s:.1f} s)")
        self.waiting, self.expected_s = waiting, expected_s


class BoundedPool(asyncpg.Pool):  # type: ignore[misc]  # asyncpg ships no stubs
    """A pool that serves its waiters in turn, and whose ``acquire`` gives up after
    ``acquire_timeout`` seconds (TimeoutError, which the HTTP layer answers 503) instead of
    waiting forever for a connection that an exhausted pool or an unreachable server will not
    give. Every ``fetch``/``execute`` of the pool goes through ``acquire`` too.

    Why the turns: asyncpg wakes its first waiter when a connection comes back, but a task that
    asks before the woken one has run takes the connection, and the waiter goes to the back of
    the queue. Under load the unlucky waited 7–8× the mean, past the timeout (the bench's 503s
    at 256 clients); 256 tasks on 10 connections: slowest wait 1.3–2.2× the mean with turns. A
    first-come first-served semaphore with one permit per connection lets a task into asyncpg's
    queue only when a connection is free for it; ``release`` gives the permit back.

    Why refuse an HTTP request at once (``PoolBusy``, ``REFUSE_WHEN_BUSY``): in turn, the k-th
    waiter gets a connection after about k / size holds. When that is already past the timeout,
    waiting would only hold the client (and its socket and task here) for the whole timeout
    before the same refusal; an overloaded service answers 503 at once instead and the clients'
    retries spread out. Background work waits its timeout as before. A hold is measured
    from ``acquire`` to ``release`` (a moving mean, each hold counted up to the timeout: the
    relay's connection, held for the process's life, must not make every request look late).
    """

    acquire_timeout: float = 10.0

    def __init__(self, *args: Any, max_size: int, **kwargs: Any) -> None:
        super().__init__(*args, max_size=max_size, **kwargs)
        self._turns = asyncio.BoundedSemaphore(max_size)  # FIFO since Python 3.11.1
        self._size = max_size
        self._waiting = 0  # tasks waiting for their turn
        self.held_s = 0.0  # how long a connection is held: the moving mean (0: not measured)
        self._handed_out: dict[int, float] = {}  # id(connection) -> when acquired

    def acquire(self, *, timeout: float | None = None) -> _InTurn:
        return _InTurn(self, self.acquire_timeout if timeout is None else timeout)

    @property
    def waiting(self) -> int:
        """Tasks waiting for their turn now."""
        return self._waiting

    def expected_wait(self) -> float:
        """Seconds a task asking now would wait for its turn (0 while a connection is free)."""
        if not self._turns.locked():
            return 0.0
        return (self._waiting + 1) / self._size * self.held_s

    async def _take(self, seconds: float) -> asyncpg.Connection:
        if REFUSE_WHEN_BUSY.get() and (expected := self.expected_wait()) > seconds:
            POOL_REFUSED.inc()
            raise PoolBusy(self._waiting, expected)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        self._waiting += 1
        try:
            async with asyncio.timeout(seconds):
                await self._turns.acquire()
        finally:
            self._waiting -= 1
        try:
            # A connection is free for this turn: what remains is opening it, if it is new.
            left = max(deadline - loop.time(), 1.0)
            connection = await asyncpg.Pool.acquire(self, timeout=left)
        except BaseException:
            self._turns.release()
            raise
        self._handed_out[id(connection)] = loop.time()
        return connection

    async def release(self, connection: asyncpg.Connection, *,
                      timeout: float | None = None) -> None:  # noqa: ASYNC109 (asyncpg's)
        since = self._handed_out.pop(id(connection), None)
        if since is not None:
            held = min(asyncio.get_running_loop().time() - since, self.acquire_timeout)
            self.held_s = held if not self.held_s else \
                self.held_s + HOLD_WEIGHT * (held - self.held_s)
        try:
            await super().release(connection, timeout=timeout)
        finally:
            self._turns.release()


class _InTurn:
    """What ``BoundedPool.acquire`` returns: ``async with`` it, or await it and ``release``."""

    def __init__(self, pool: BoundedPool, timeout: float) -> None:
        self.pool, self.timeout = pool, timeout
        self.connection: asyncpg.Connection | None = None

    def __await__(self) -> Generator[Any, None, asyncpg.Connection]:
        return self.pool._take(self.timeout).__await__()

    async def __aenter__(self) -> asyncpg.Connection:
        self.connection = await self.pool._take(self.timeout)
        return self.connection

    async def __aexit__(self, *_: object) -> None:
        connection, self.connection = self.connection, None
        await self.pool.release(connection)
