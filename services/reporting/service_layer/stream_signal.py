"""How a waiting stream learns that the feed grew: one signal per process, no queue per client.

The feed's listener (``adapters.feed_listener``) calls ``notify`` when any instance's consumer
committed new events; every stream waiting on the signal then reads its next page from the
database at its own pace. A stream takes ``current()`` BEFORE reading a page and waits on that:
a notification arriving between its read and its wait is not lost. Streams also wait with a
timeout (the polling fallback), so a lost listener connection delays them, never stalls them.
"""

from __future__ import annotations

import asyncio
import contextlib


class FeedSignal:
    def __init__(self) -> None:
        self._grown = asyncio.Event()

    def current(self) -> asyncio.Event:
        return self._grown

    def notify(self) -> None:
        grown, self._grown = self._grown, asyncio.Event()
        grown.set()

    @staticmethod
    async def wait(seen: asyncio.Event, timeout: float) -> None:  # noqa: ASYNC109
        """Until the feed grew since ``seen`` was current, or ``timeout`` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(seen.wait(), max(timeout, 0.0))


class StreamSlots:
    """At most ``limit`` streams per process (each holds a socket and, while reading a page, a
    pooled connection); beyond that the route answers 503. Also what a stream ever held in
    memory at once (at most a page: the back-pressure guarantee the tests check)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0
        self.most_held = 0
        self.pages_read = 0

    def take(self) -> bool:
        if self.open >= self.limit:
            return False
        self.open += 1
        return True

    def give_back(self) -> None:
        self.open = max(self.open - 1, 0)

    def held(self, rows: int) -> None:
        self.pages_read += 1
        self.most_held = max(self.most_held, rows)


class LiveFeed:
    """The process's part of the live view: the signal and the stream slots."""

    def __init__(self, signal: FeedSignal, slots: StreamSlots) -> None:
        self.signal = signal
        self.slots = slots

    @classmethod
    def of(cls, max_clients: int) -> LiveFeed:
        return cls(FeedSignal(), StreamSlots(max_clients))
