"""Reporting's read models on a real database: events applied through the consumer's own
handlers (in a transaction), or published on the real topics to the running app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import asyncpg
import httpx
import pytest

from casebus import calendars
from casebus.calendars import CalendarBook
from casebus.clock import SimulatedClock
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from casebus.settings import Settings
from casebus.store import migrate
from services.reporting.adapters.schema import DDL
from services.reporting.bootstrap import build_app
from services.reporting.service_layer.event_handlers import every_other_event, handlers
from tests.conftest import broker_of_its_own, make_settings
from tests.integration.reporting.events import local
from tests.integration.service_app import running_app

START = local(2026, 3, 2, 9)  # a Monday


@pytest.fixture(scope="package")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """A broker of the package's own: the app reads the three event topics from the start, so
    cases other packages published on the session's broker would show up in its lists."""
    yield from broker_of_its_own(tmp_path_factory, "reporting-broker")


@pytest.fixture
def settings(database_url: str, broker: EmbeddedBroker) -> Settings:
    return make_settings(database_url, broker.bootstrap, service="reporting")


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
async def client(settings: Settings, clock: SimulatedClock) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(build_app(settings, clock=clock)) as c:
        yield c


@pytest.fixture
async def read_models(pool: asyncpg.Pool) -> asyncpg.Pool:
    """The pool with reporting's tables (the app migrates the same database on start)."""
    await migrate(pool, DDL, calendars.DDL)
    return pool


class Feed:
    """Applies events as the consumer does: one transaction each, through its handlers."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.handlers = handlers(CalendarBook(pool))

    async def __call__(self, *events: CloudEvent) -> None:
        for event in events:
            handler = self.handlers.get(event.type, every_other_event)
            async with self.pool.acquire() as conn, conn.transaction():
                await handler(conn, event)


@pytest.fixture
def feed(read_models: asyncpg.Pool) -> Feed:
    return Feed(read_models)
