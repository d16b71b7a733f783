"""A small HTTP/1.1 keep-alive client over ``asyncio.open_connection``, for the load.

httpx cost 8-16 ms of CPU per request here, taken from the two cores the system under test
runs on. This client sends pre-encoded header bytes and reads the status line, the headers and
a Content-Length (or chunked) body: nothing more, so the load costs little.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import uvloop

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run the load on uvloop: its event loop costs the client less CPU than asyncio's."""
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[bytes, bytes]  # lower-case names
    body: bytes


class HttpError(Exception):
    """The connection closed or answered something that is not HTTP/1.1."""


def head_bytes(method: str, path: str, host: str, headers: dict[str, str]) -> bytes:
    """The request line and headers, without Content-Length and the blank line."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in
                                                            headers.items())]
    return ("\r\n".join(lines) + "\r\n").encode()


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        """The connection, and whether it is a kept-alive one (which the server may have
        closed while it was idle: uvicorn does after 5 s)."""
        reused = not (self.reader is None or self.writer is None or self.writer.is_closing()
                      or self.reader.at_eof())
        if not reused:
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None and self.writer is not None
        return self.reader, self.writer, reused

    async def send(self, head: bytes, body: bytes = b"") -> tuple[int, dict[bytes, bytes]]:
        """Send a request; the answer's status and headers (the body is still to read)."""
        request = head + b"Content-Length: %d\r\n\r\n" % len(body) + body
        reader, writer, reused = await self._open()
        try:
            writer.write(request)
            raw = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            await self.close()
            if not (reused and isinstance(exc, asyncio.IncompleteReadError) and not exc.partial):
                raise HttpError(f"connection lost: {exc!r}") from exc
            # Closed by the server when idle, before it read the request: send it again on a
            # new connection, as HTTP clients do.
            reader, writer, _ = await self._open()
            writer.write(request)
            try:
                raw = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError) as again:
                await self.close()
                raise HttpError(f"connection lost: {again!r}") from again
        status_line, *header_lines = raw[:-4].split(b"\r\n")
        if not status_line.startswith(b"HTTP/1.1 "):
            await self.close()
            raise HttpError(f"not HTTP/1.1: {status_line[:80]!r}")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        return int(status_line[9:12]), headers

    async def request(self, head: bytes, body: bytes = b"") -> Answer:
        status, headers = await self.send(head, body)
        assert self.reader is not None
        try:
            if headers.get(b"transfer-encoding") == b"chunked":
                content = b"".join([chunk async for chunk in self.chunks()])
            else:
                content = await self.reader.readexactly(int(headers.get(b"content-length", 0)))
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            await self.close()
            raise HttpError(f"connection lost: {exc!r}") from exc
        if headers.get(b"connection") == b"close":
            await self.close()
        return Answer(status, headers, content)

    async def chunks(self) -> AsyncIterator[bytes]:
        """A chunked body, chunk by chunk, as it arrives (server-sent events come so)."""
        assert self.reader is not None
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return
            chunk = await self.reader.readexactly(size + 2)
            yield chunk[:-2]

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):  # the server dropped it already
                await self.writer.wait_closed()
        self.reader = self.writer = None
