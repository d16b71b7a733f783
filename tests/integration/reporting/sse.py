"""A real HTTP server for reporting's app (uvicorn on a free port: httpx's ASGI transport reads
a whole body before answering, so it cannot follow a stream or disconnect from it), and an SSE
reader."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from casebus.embedded.broker import free_port


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    port = free_port(0)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on",
                                           log_level="warning", timeout_graceful_shutdown=5))
    task = asyncio.create_task(server.serve())
    for _ in range(300):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    assert server.started, "the app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


@dataclass
class Sse:
    id: int | None
    event: str | None
    data: dict[str, Any] | None
    comment: str | None = None


async def sse_messages(response: httpx.Response) -> AsyncIterator[Sse]:
    """Each event or comment as it arrives (``retry:`` lines are skipped)."""
    fields: dict[str, str] = {}
    async for line in response.aiter_lines():
        if line.startswith(":"):
            yield Sse(None, None, None, comment=line[1:].strip())
        elif line == "":
            if "data" in fields:
                yield Sse(int(fields["id"]) if "id" in fields else None, fields.get("event"),
                          json.loads(fields["data"]))
            fields = {}
        else:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")


class SseReader:
    """Reads one response's stream across calls (httpx streams a body only once)."""

    def __init__(self, response: httpx.Response) -> None:
        self.messages = sse_messages(response)

    async def events(self, count: int, timeout: float = 15.0) -> list[Sse]:  # noqa: ASYNC109
        """The next ``count`` events (comments skipped)."""
        got: list[Sse] = []

        async def read() -> None:
            while len(got) < count:
                m = await anext(self.messages)
                if m.comment is None:
                    got.append(m)

        await asyncio.wait_for(read(), timeout)
        return got

    async def rest(self, timeout: float = 15.0) -> list[Sse]:  # noqa: ASYNC109
        """Everything until the server ends the stream."""
        async def read() -> list[Sse]:
            return [m async for m in self.messages]

        return await asyncio.wait_for(read(), timeout)

    async def comment(self, timeout: float = 15.0) -> str:  # noqa: ASYNC109
        """The next comment line, skipping events."""
        async def read() -> str:
            while (m := await anext(self.messages)).comment is None:
                pass
            return m.comment

        return await asyncio.wait_for(read(), timeout)


def parse_all(body: str) -> list[Sse]:
    """A whole (ended) stream's events."""
    out = []
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines()
                      if not line.startswith(":") and ": " in line)
        if "data" in fields:
            out.append(Sse(int(fields["id"]), fields["event"], json.loads(fields["data"])))
    return out
