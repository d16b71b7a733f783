"""When each case shows up routed in reporting, from ONE server-sent-events stream.

Reporting's ``GET /api/v1/stream?types=petition.case.assigned.v1`` sends routing's assignment
as reporting keeps it. Its feed row is written last in the consumer's transaction that also
projects the assignment, and the stream reads committed rows only (woken by NOTIFY at commit),
so the event arrives once the routed case is readable: no polling granularity, no GET per case.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterable

from bench.http_client import Connection, HttpError, head_bytes
from bench.intake_load import bearer
from casebus.access import Role

ASSIGNED = "petition.case.assigned.v1"


class RoutedWatch:
    def __init__(self, reporting_url: str, after: int = 0) -> None:
        self.connection = Connection(reporting_url)
        self.after = after  # the feed position to resume after (0: from the start)
        self.routed: dict[str, float] = {}  # case id -> perf_counter when its event came
        self.changed = asyncio.Event()
        self.reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RoutedWatch:
        query = f"types={ASSIGNED}" + (f"&last_event_id={self.after}" if self.after else "")
        head = head_bytes("GET", f"/api/v1/stream?{query}", self.connection.host,
                          {**bearer(Role.LEADER), "Accept": "text/event-stream"})
        status, _ = await self.connection.send(head)
        if status != 200:
            raise HttpError(f"reporting's stream answered {status}")
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.reader is not None:
            self.reader.cancel()
        await self.connection.close()

    async def _read(self) -> None:
        pending = b""
        async for chunk in self.connection.chunks():
            arrived = time.perf_counter()  # stamped as the bytes come, before parsing
            *frames, pending = (pending + chunk).split(b"\n\n")
            for frame in frames:
                for line in frame.split(b"\n"):
                    if line.startswith(b"data:"):
                        body = json.loads(line[5:])
                        self.routed.setdefault(body["case_id"], arrived)
                        self.after = max(self.after, int(body["position"]))
            if frames:
                self.changed.set()
        raise HttpError("reporting ended the stream")

    async def wait_for(self, case_ids: Iterable[str], timeout_s: float) -> float:
        """Until every case is routed; the perf_counter of the last arrival. TimeoutError
        names how many are missing."""
        ids = list(case_ids)
        missing = [c for c in ids if c not in self.routed]
        deadline = time.perf_counter() + timeout_s
        while missing:
            if self.reader is not None and self.reader.done():
                self.reader.result()  # the stream failed: say why
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{len(missing)} cases not routed in reporting after "
                                   f"{timeout_s:.0f} s")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 1.0))
            missing = [c for c in missing if c not in self.routed]
        return max((self.routed[c] for c in ids), default=time.perf_counter())
