"""The event stream's response: its media type, headers and OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from casebus.http_problems import Problem

EXAMPLE = (
    "retry: 1000\n\n"
    "id: 42\nevent: petition.case.assigned.v1\n"
    'data: {"position":42,"type":"petition.case.assigned.v1","case_id":"case-3f2a",'
    '"unit_id":"gas-company","time":"2026-03-02T11:00:00+08:00","data":{"unit_id":'
    '"gas-company","assisting_unit_ids":[],"acceptance_due":"2026-03-17T11:00:00+08:00"}}\n\n'
    ": heartbeat\n\n")

STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "server-sent events (text/event-stream), one per case event",
          "content": {"text/event-stream": {"schema": {"type": "string"}, "example": EXAMPLE}}},
    503: {"model": Problem, "description": "too many streams open (Retry-After), or the "
          "database is unavailable"},
}


class EventStreamResponse(StreamingResponse):
    """Not cached, not buffered by a proxy; ``on_close`` runs however the stream ends (the
    client gone, the server stopping, or the stream's end), so its slot is always given back."""

    media_type = "text/event-stream"

    def __init__(self, content: Any, on_close: Callable[[], None] | None = None) -> None:
        super().__init__(content, headers={"Cache-Control": "no-cache",
                                           "X-Accel-Buffering": "no"})
        self.on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            if self.on_close is not None:
                self.on_close()
            close = getattr(self.body_iterator, "aclose", None)
            if close is not None:
                await close()  # the stream's generator ends now, not when collected
