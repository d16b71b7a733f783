"""What runs inside one service process besides HTTP: its pool, relay and consumers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

import asyncpg
from fastapi import FastAPI

from casebus.consumer import InboxConsumer
from casebus.observability import TASK_RESTARTS
from casebus.pruning import keep_pruning
from casebus.relay import OutboxRelay
from casebus.settings import Settings
from casebus.store import EventStore, connect_pool, migrate
from casebus.store.pool import ensure_database

log = logging.getLogger(__name__)
RESTARTS_BEFORE_GIVING_UP = 5
STEADY_SECONDS = 60.0


@dataclass
class ServiceRuntime:
    settings: Settings
    extra_ddl: tuple[str, ...] = ()
    pool: asyncpg.Pool | None = None
    store: EventStore | None = None
    relay: OutboxRelay | None = None
    consumers: list[InboxConsumer] = field(default_factory=list)
    # Other long-running work of the service (e.g. a deadline watcher), started with the
    # relay and consumers and reported by /ready. Each must return when cancelled.
    workers: list[tuple[str, Callable[[], Awaitable[None]]]] = field(default_factory=list)
    # Work done once after start, in the background (filling a cache): the service answers
    # meanwhile and works without it, so a failure is logged, not retried nor reported.
    warm_ups: list[tuple[str, Callable[[], Awaitable[object]]]] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    warming: list[asyncio.Task[None]] = field(default_factory=list)

    async def open_database(self) -> None:
        await ensure_database(self.settings.dsn)
        s = self.settings
        self.pool = await connect_pool(
            s.dsn, max_size=s.db_pool_max, statement_timeout_ms=s.db_statement_timeout_ms,
            idle_in_transaction_timeout_ms=s.db_idle_in_transaction_timeout_ms,
            acquire_timeout_s=s.db_acquire_timeout_seconds)
        await migrate(self.pool, *self.extra_ddl)
        self.store = EventStore(self.pool)

    @property
    def database(self) -> tuple[asyncpg.Pool, EventStore]:
        """The pool and event store, once ``open_database`` has run."""
        if self.pool is None or self.store is None:
            raise RuntimeError("the database is not open yet")
        return self.pool, self.store

    def lifespan(self, wire: Callable[[FastAPI, ServiceRuntime], None], *,
                 with_relay: bool = True) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
        """The app's lifespan: open the database, let the service ``wire`` its parts (state,
        consumers), run the relay and consumers in the background, and close it all at the end."""

        @asynccontextmanager
        async def run(app: FastAPI) -> AsyncIterator[None]:
            await self.open_database()
            wire(app, self)
            self.start_background(with_relay)
            try:
                yield
            finally:
                await self.close()

        return run

    def start_background(self, with_relay: bool = True) -> None:
        assert self.pool is not None
        if with_relay:
            self.relay = OutboxRelay(self.pool, self.settings)
            self._spawn("relay", self.relay.run)
        for consumer in self.consumers:
            self._spawn(f"consumer:{consumer.name}", consumer.run)
        for name, run in self.workers:
            self._spawn(name, run)
        s, pool = self.settings, self.pool
        self._spawn("pruner", lambda: keep_pruning(pool, s))
        for name, warm in self.warm_ups:
            self.warming.append(asyncio.create_task(_once(name, warm), name=name))

    def _spawn(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        self.tasks.append(asyncio.create_task(self._supervised(name, run), name=name))

    async def _supervised(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        """Restart a background task that failed, with backoff. One that keeps failing at once
        (``RESTARTS_BEFORE_GIVING_UP`` times, each run shorter than ``STEADY_SECONDS``) is given
        up: the task ends, and /health and /ready answer 503 so the process gets restarted
        rather than accept writes it will never publish."""
        loop = asyncio.get_running_loop()
        quick_failures, delay = 0, self.settings.task_restart_backoff_seconds
        while True:
            started = loop.time()
            try:
                await run()
                return  # asked to stop
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background task %s failed", name)
            if loop.time() - started >= STEADY_SECONDS:
                quick_failures, delay = 0, self.settings.task_restart_backoff_seconds
            quick_failures += 1
            if quick_failures >= RESTARTS_BEFORE_GIVING_UP:
                log.critical("background task %s keeps failing; giving up", name)
                return
            TASK_RESTARTS.labels(self.settings.service, name).inc()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)

    def background_healthy(self) -> dict[str, bool]:
        return {t.get_name(): not t.done() for t in self.tasks}

    async def close(self) -> None:
        # Ask politely, then cancel until every task has ended: some client libraries swallow
        # a CancelledError (and asyncio.wait_for can on Python 3.11), so one cancel may be lost.
        for part in (self.relay, *self.consumers):
            if part is not None:
                part.stopping = True
        pending = {t for t in [*self.tasks, *self.warming] if not t.done()}
        for _ in range(20):
            if not pending:
                break
            for t in pending:
                t.cancel()
            _, pending = await asyncio.wait(pending, timeout=0.5)
        if pending:
            log.error("background tasks did not stop: %s", [t.get_name() for t in pending])
        if self.relay:
            await self.relay.stop()
        if self.pool:
            await self.pool.close()


async def _once(name: str, run: Callable[[], Awaitable[object]]) -> None:
    try:
        await run()
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("warm-up %s failed; the service works without it", name)
