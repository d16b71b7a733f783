"""A consumer process killed with SIGKILL mid-stream, restarted: every event applied once."""

from __future__ import annotations

import signal
import subprocess
import sys

import asyncpg

from casebus.embedded.broker import EmbeddedBroker
from tests.conftest import eventually
from tests.integration.platform.kafka_tools import cloud_event, fresh_topic, produce

EVENTS = 4000


def start(database_url: str, bootstrap: str, topic: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.integration.platform.counting_consumer",
                             database_url, bootstrap, topic],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def test_sigkill_mid_stream_loses_nothing_and_applies_nothing_twice(
        database_url: str, broker: EmbeddedBroker) -> None:
    topic = await fresh_topic(broker.bootstrap)
    await produce(broker.bootstrap, topic,
                  [(f"case-{n % 50}", cloud_event(n, f"case-{n % 50}").to_bytes())
                   for n in range(EVENTS)])
    conn = await asyncpg.connect(database_url)
    applied = "SELECT count(*) FROM applied"
    try:
        for kill_after in (800, 2200):
            process = start(database_url, broker.bootstrap, topic)
            try:
                await eventually(lambda k=kill_after: _at_least(conn, applied, k), timeout=120,
                                 interval=0.02)
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait()
            assert await conn.fetchval(applied) < EVENTS  # it really died mid-stream
        process = start(database_url, broker.bootstrap, topic)
        try:
            await eventually(lambda: _at_least(conn, applied, EVENTS), timeout=120)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait()
        assert await conn.fetchval(applied) == EVENTS
        assert await conn.fetchval("SELECT count(DISTINCT event_id) FROM applied") == EVENTS
        assert await conn.fetchval("SELECT count(*) FROM inbox") == EVENTS
        # Per case, in order: n grows along the order of application.
        rows = await conn.fetch("SELECT case_id, n FROM applied ORDER BY applied_order")
        last: dict[str, int] = {}
        for r in rows:
            assert r["n"] > last.get(r["case_id"], -1)
            last[r["case_id"]] = r["n"]
    finally:
        await conn.close()


async def _at_least(conn: asyncpg.Connection, query: str, n: int) -> bool:
    try:
        return bool(await conn.fetchval(query) >= n)
    except asyncpg.UndefinedTableError:
        return False
