"""The live event view: the district's case events as server-sent events, replayed from a
position and then followed live.

Back-pressure: a stream reads one page from the database, yields its events one by one (each
``yield`` waits until the server could hand the previous one to the socket), and reads the
next page only then. A slow client therefore holds at most one page in the server's memory;
nothing is queued per client. Waiting streams wake on the process's ``FeedSignal``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from casebus.domain.clock_condition import local_iso
from services.reporting.adapters.event_feed import feed_head, feed_page
from services.reporting.domain.feed_items import ids_only
from services.reporting.service_layer.stream_signal import FeedSignal, StreamSlots

RETRY_MILLISECONDS = 1000  # EventSource reconnects after this, sending Last-Event-ID
DATABASE_LOST = (OSError, TimeoutError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
                 asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Watch:
    """What one client watches: its district, from where, which events, for how long."""

    district: str
    after: int
    types: list[str] | None
    case_id: str | None
    unit: str | None
    ids_only: bool  # operators: ids and types only
    follow: bool  # False: what is there now, then the stream ends
    max_seconds: float


@dataclass(frozen=True)
class Pace:
    page_size: int
    scan: int  # positions one page looks at, at most
    heartbeat_seconds: float
    poll_seconds: float


def frame(row: asyncpg.Record, only_ids: bool) -> str:
    body = {"position": row["position"], "type": row["type"], "case_id": row["case_id"],
            "unit_id": row["unit_id"], "time": local_iso(row["occurred_at"]),
            "data": ids_only(row["data"]) if only_ids else row["data"]}
    return (f"id: {row['position']}\nevent: {row['type']}\n"
            f"data: {json.dumps(body, ensure_ascii=False, separators=(',', ':'))}\n\n")


async def event_stream(pool: asyncpg.Pool, signal: FeedSignal, slots: StreamSlots, watch: Watch,
                       pace: Pace, disconnected: Callable[[], Awaitable[bool]]
                       ) -> AsyncIterator[str]:
    """The stream's text. The database lost midway ends it cleanly: the client reconnects
    after ``retry`` with the last id it got, and misses nothing."""
    try:
        async for text in _events(pool, signal, slots, watch, pace, disconnected):
            yield text
    except DATABASE_LOST as exc:
        log.warning("database unavailable; the event stream ends: %r", exc)


async def _events(pool: asyncpg.Pool, signal: FeedSignal, slots: StreamSlots, watch: Watch,
                  pace: Pace, disconnected: Callable[[], Awaitable[bool]]
                  ) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + watch.max_seconds
    last_said = loop.time()
    head = await feed_head(pool)
    end = None if watch.follow else head
    # Past the head: the feed was rebuilt from scratch (positions restarted). Replay it all:
    # a duplicate is better than a gap.
    after = 0 if watch.after > head else watch.after
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    while loop.time() < deadline and not await disconnected():
        seen = signal.current()
        upto, head, rows = await feed_page(
            pool, district=watch.district, after=after, scan=pace.scan, limit=pace.page_size,
            types=watch.types, case_id=watch.case_id, unit=watch.unit)
        slots.held(len(rows))
        for row in rows:
            yield frame(row, watch.ids_only)
        if rows:
            last_said = loop.time()
        caught_up = upto >= head
        after = upto
        if end is not None and after >= end:
            return
        if not caught_up:
            continue
        beat_in = pace.heartbeat_seconds - (loop.time() - last_said)
        if beat_in <= 0:
            yield ": heartbeat\n\n"
            last_said = loop.time()
            continue
        await signal.wait(seen, min(pace.poll_seconds, beat_in, deadline - loop.time()))
