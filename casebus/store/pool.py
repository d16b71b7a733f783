"""asyncpg pools with JSON codecs, so jsonb columns read and write plain dicts."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator
from typing import Any

import asyncpg
from pydantic_core import from_json, to_json


def _json_text(value: Any) -> str:
    return to_json(value).decode()


async def _init_connection(conn: asyncpg.Connection) -> None:
    # pydantic's Rust JSON, not the json module: two to four times faster either way, and every
    # event, record and row of JSON passes through here (the same text for what json.dumps
    # takes; it writes datetimes too, as ISO 8601, where json.dumps refuses them).
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=_json_text, decoder=from_json,
                                  schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Released connections are not reset with a round trip (asyncpg's default runs
    ``RESET ALL``, ``UNLISTEN *`` and ``pg_advisory_unlock_all()`` on every release, a tenth of a
    busy consumer's time). asyncpg still ends an open transaction and drops listeners; nothing
    here sets session state, and the one session lock (the relay's) is released explicitly."""


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
    queue only when a connection is free for it; ``release`` gives the permit back."""

    acquire_timeout: float = 10.0

    def __init__(self, *args: Any, max_size: int, **kwargs: Any) -> None:
        super().__init__(*args, max_size=max_size, **kwargs)
        self._turns = asyncio.BoundedSemaphore(max_size)  # FIFO since Python 3.11.1

    def acquire(self, *, timeout: float | None = None) -> _InTurn:
        return _InTurn(self, self.acquire_timeout if timeout is None else timeout)

    async def _take(self, seconds: float) -> asyncpg.Connection:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        async with asyncio.timeout(seconds):
            await self._turns.acquire()
        try:
            # A connection is free for this turn: what remains is opening it, if it is new.
            left = max(deadline - loop.time(), 1.0)
            return await asyncpg.Pool.acquire(self, timeout=left)
        except BaseException:
            self._turns.release()
            raise

    async def release(self, connection: asyncpg.Connection, *,
                      timeout: float | None = None) -> None:  # noqa: ASYNC109 (asyncpg's)
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


async def connect_pool(dsn: str, *, min_size: int = 1, max_size: int = 10,
                       statement_timeout_ms: int = 30_000,
                       idle_in_transaction_timeout_ms: int = 60_000,
                       acquire_timeout_s: float = 10.0,
                       connect_timeout_s: float = 5.0) -> asyncpg.Pool:
    """A pool whose sessions cannot hold the cluster back: a forgotten or hung transaction
    would stall every gap-safe reader (they read below the oldest running transaction)."""
    settings = {"statement_timeout": str(statement_timeout_ms),
                "idle_in_transaction_session_timeout": str(idle_in_transaction_timeout_ms)}
    # Built as asyncpg.create_pool builds its Pool (asyncpg 0.32), with the bounded class.
    pool = BoundedPool(dsn, min_size=min_size, max_size=max_size, max_queries=50_000,
                       max_inactive_connection_lifetime=300.0, init=_init_connection,
                       reset=_keep_session, loop=None, connection_class=asyncpg.Connection,
                       record_class=asyncpg.Record, server_settings=settings,
                       timeout=connect_timeout_s)
    pool.acquire_timeout = acquire_timeout_s
    await pool
    return pool


async def ensure_database(dsn: str) -> None:
    """Create the database named in ``dsn`` if it does not exist (embedded stack and tests)."""
    base, _, name = dsn.rpartition("/")
    name = name.split("?")[0]
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            # Another process may create it first; that is fine.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
                await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
