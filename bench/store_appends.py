"""Event-store appends/s: ours (casebus EventStore) against the ``eventsourcing`` library's
PostgreSQL application recorder, on the same PostgreSQL server, each in its own database.

One append = one new stream with one event (~200-byte payload). Ours also writes the message to
publish in the event's row (the events are the outbox); theirs writes one row and takes its
table lock.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import urlsplit
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from bench import Plan, Row
from bench.progress import Phase
from casebus.store import EventStore, NewEvent, Publication, connect_pool, migrate
from casebus.store.pool import ensure_database

PAYLOAD: dict[str, str] = {"category": "gas", "community": "Dingjia",
                           "subject": "Gas supply never connected since completion",
                           "note": "x" * 87}
PAYLOAD_BYTES = len(json.dumps(PAYLOAD).encode())  # ~200
STATE = json.dumps(PAYLOAD).encode()
Progress = Callable[[int], object]


def _split(total: int, writers: int) -> list[int]:
    return [total // writers + (1 if i < total % writers else 0) for i in range(writers)]


async def ours(dsn: str, events: int, writers: int, progress: Progress) -> float:
    """Appends/s of ``EventStore.append`` with ``writers`` concurrent asyncio tasks."""
    await ensure_database(dsn)
    pool = await connect_pool(dsn, min_size=writers, max_size=writers)
    try:
        await migrate(pool)
        store = EventStore(pool)

        async def writer(count: int) -> None:
            for _ in range(count):
                event_id = str(uuid4())
                stream = f"bench-{event_id}"
                await store.append(stream, 0, [NewEvent(
                    event_id=event_id, type="bench.appended.v1", district="bench",
                    occurred_at=datetime.now(UTC), data=PAYLOAD,
                    publication=Publication("bench.events", stream, PAYLOAD))])
                progress(1)

        started = time.perf_counter()
        await asyncio.gather(*(writer(n) for n in _split(events, writers)))
        return events / (time.perf_counter() - started)
    finally:
        await pool.close()


class Theirs:
    """The ``eventsourcing`` recorder, one ``insert_events`` (one StoredEvent) per append."""

    def __init__(self, dsn: str, writers: int) -> None:
        asyncio.run(ensure_database(dsn))
        url = urlsplit(dsn)
        self.datastore = PostgresDatastore(dbname=url.path.lstrip("/"), host=url.hostname or "",
                                           port=url.port or 5432, user=url.username or "",
                                           password=url.password or "", pool_size=writers)
        self.recorder = PostgresApplicationRecorder(self.datastore)
        self.recorder.create_table()
        self.writers = writers
        self.stop = threading.Event()

    def run(self, events: int, progress: Progress) -> float:
        def writer(count: int) -> None:
            for _ in range(count):
                if self.stop.is_set():
                    return
                self.recorder.insert_events([StoredEvent(
                    originator_id=uuid4(), originator_version=1,
                    topic="bench:Appended", state=STATE)])
                progress(1)

        started = time.perf_counter()
        pool = ThreadPoolExecutor(self.writers)
        try:
            for future in [pool.submit(writer, n) for n in _split(events, self.writers)]:
                future.result()
        except BaseException:  # Ctrl-C included: let the writer threads end promptly
            self.stop.set()
            raise
        finally:
            pool.shutdown(wait=True)
        return events / (time.perf_counter() - started)

    def close(self) -> None:
        self.stop.set()
        self.datastore.close()


def store_phase(dsn: Callable[[str], str], plan: Plan) -> list[Row]:
    """Both stores, each writer count, ``plan.repeats`` times, interleaved; rows for the table."""
    theirs = {w: Theirs(dsn("bench_eventsourcing"), w) for w in plan.writers}
    results: dict[tuple[str, int], list[float]] = {}
    try:
        for w in plan.writers:  # warm up both: connections, prepared statements, caches
            asyncio.run(ours(dsn("bench_ours"), 100, w, lambda _: None))
            theirs[w].run(100, lambda _: None)
        with Phase("store appends", plan.appends * plan.repeats * len(plan.writers) * 2,
                   "append") as bar:
            for _ in range(plan.repeats):
                for w in plan.writers:
                    results.setdefault(("ours", w), []).append(
                        asyncio.run(ours(dsn("bench_ours"), plan.appends, w, bar.update)))
                    results.setdefault(("theirs", w), []).append(
                        theirs[w].run(plan.appends, bar.update))
    finally:
        for recorder in theirs.values():
            recorder.close()
    rows: list[Row] = []
    for w in plan.writers:
        mine, other = results["ours", w], results["theirs", w]
        setting = f"{w} writer{'s' * (w > 1)}, {plan.appends}"
        rows += [("appends/s, casebus EventStore.append (+message)", setting, mine, "/s"),
                 ("appends/s, eventsourcing PostgresApplicationRecorder", setting, other, "/s"),
                 ("  ratio ours/theirs (per repeat)", setting,
                  [a / b for a, b in zip(mine, other, strict=True)], "x")]
    return rows
