"""The test session starts a real PostgreSQL 16 and a real Kafka-protocol broker (Tansu).

Every test that needs a database gets a fresh one on the shared server. Tests that restart or
kill the broker start their own broker (``own_broker``) so the others are not disturbed.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
from hypothesis import settings as hypothesis_settings

from casebus.embedded.broker import EmbeddedBroker, free_port
from casebus.embedded.postgres import EmbeddedPostgres
from casebus.settings import Settings
from casebus.store import connect_pool, migrate
from casebus.store.pool import ensure_database

# CI machines are noisy (2 cores, stolen CPU): a slow example is not a failure. Property tests
# still explore randomly; a failure prints the seed and example to reproduce it.
hypothesis_settings.register_profile("casebus", deadline=None, print_blob=True)
hypothesis_settings.load_profile("casebus")


@pytest.fixture(scope="session")
def embedded_postgres() -> Iterator[EmbeddedPostgres]:
    root = Path(tempfile.mkdtemp(prefix="casebus-test-pg-"))
    server = EmbeddedPostgres(data_dir=root, port=free_port(0), durable=False)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    b = EmbeddedBroker(port=free_port(0),
                       log_path=tmp_path_factory.mktemp("broker") / "tansu.log")
    b.start()
    yield b
    b.kill()


def broker_of_its_own(tmp_path_factory: pytest.TempPathFactory,
                      label: str) -> Iterator[EmbeddedBroker]:
    """For a package whose apps read whole topics from the start: a broker no other package
    publishes on (use as a package-scoped ``broker`` fixture)."""
    b = EmbeddedBroker(port=free_port(0), log_path=tmp_path_factory.mktemp(label) / "tansu.log")
    b.start()
    yield b
    b.kill()


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[EmbeddedBroker]:
    b = EmbeddedBroker(port=free_port(0), log_path=tmp_path / "tansu.log")
    b.start()
    yield b
    b.kill()


@pytest.fixture
async def database_url(embedded_postgres: EmbeddedPostgres) -> str:
    url = embedded_postgres.dsn(f"t_{uuid4().hex[:12]}")
    await ensure_database(url)
    return url


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    p = await connect_pool(database_url, max_size=20)
    await migrate(p)
    yield p
    await p.close()


def make_settings(database_url: str, bootstrap: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url, "kafka_bootstrap": bootstrap,
        "broker_epoch_check_seconds": 0.5, "session_timeout_ms": 6000,
        "heartbeat_interval_ms": 300, "relay_idle_seconds": 0.02, "profile": "embedded",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


async def eventually(check, timeout: float = 30.0, interval: float = 0.1):  # type: ignore[no-untyped-def]  # noqa: ASYNC109
    """Poll ``check`` (sync or async) until it returns a truthy value; return that value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last: {result!r})")
        await asyncio.sleep(interval)
