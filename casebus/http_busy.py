"""An overloaded service answers 503 at once, saying when to retry, instead of holding each
request for the whole acquire timeout before the same answer (``casebus.store.bounded_pool``).
Only HTTP requests are refused so: background work keeps waiting its turn."""

from __future__ import annotations

import logging
import math
import time

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from casebus.store.bounded_pool import REFUSE_WHEN_BUSY, PoolBusy

log = logging.getLogger(__name__)


def answer_busy_at_once(app: FastAPI) -> None:
    app.add_middleware(RefusedWhenBusy)
    # PoolBusy is a TimeoutError, whose handler says "unavailable": the nearer class wins.
    app.add_exception_handler(PoolBusy, _busy)


class RefusedWhenBusy:
    """Marks each HTTP request's task, so that the pool refuses it at once when busy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = REFUSE_WHEN_BUSY.set(scope["type"] == "http")
        try:
            await self.app(scope, receive, send)
        finally:
            REFUSE_WHEN_BUSY.reset(token)


async def _busy(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PoolBusy)
    _BUSY_LOG.note(exc)
    wait = min(max(math.ceil(exc.expected_s), 1), 60)
    return JSONResponse(status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                        content={"detail": f"the service is busy: the requests before this one "
                                           f"need about {wait} s; nothing was recorded, retry "
                                           "then (with the same Idempotency-Key)"},
                        headers={"Retry-After": str(wait)})


class _Throttled:
    """One warning per ``every_s`` for refusals under overload (the metric counts each)."""

    def __init__(self, every_s: float) -> None:
        self.every_s, self.last, self.since = every_s, -math.inf, 0

    def note(self, exc: PoolBusy) -> None:
        self.since += 1
        now = time.monotonic()
        if now - self.last >= self.every_s:
            log.warning("busy: %d requests answered 503 at once (%s)", self.since, exc)
            self.last, self.since = now, 0


_BUSY_LOG = _Throttled(10.0)
