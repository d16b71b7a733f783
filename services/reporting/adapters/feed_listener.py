"""LISTEN for the feed's notifications on one connection of its own (not from the pool: it is
held for the life of the process) and wake this process's streams. Two reporting instances on
one database both wake, whichever consumer committed. A lost connection is reopened; meanwhile
streams poll (``stream_poll_seconds``), so this worker never fails the service's health."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg

from services.reporting.adapters.event_feed import FEED_CHANNEL
from services.reporting.service_layer.stream_signal import FeedSignal

log = logging.getLogger(__name__)
KEEPALIVE_SECONDS = 30.0


async def listen_for_feed(dsn: str, signal: FeedSignal) -> None:
    delay = 0.5
    while True:
        try:
            await _listen_once(dsn, signal)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure: reconnect; streams poll meanwhile
            log.warning("event feed listener lost its connection: %r; reconnecting", exc)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 10.0)


async def _listen_once(dsn: str, signal: FeedSignal) -> None:
    conn: asyncpg.Connection = await asyncpg.connect(dsn)
    lost = asyncio.Event()
    try:
        conn.add_termination_listener(lambda _: lost.set())

        def grown(*_: Any) -> None:
            signal.notify()

        await conn.add_listener(FEED_CHANNEL, grown)
        signal.notify()  # events may have come while no one listened
        while not lost.is_set():
            try:
                await asyncio.wait_for(lost.wait(), KEEPALIVE_SECONDS)
            except TimeoutError:
                await conn.fetchval("SELECT 1")  # a dead peer shows here
    finally:
        if not conn.is_closed():
            await conn.close(timeout=2)
