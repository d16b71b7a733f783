"""The FastAPI app every service starts from: health, readiness, metrics, clear errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Annotated

import asyncpg
from fastapi import Depends, FastAPI, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from casebus.access import Principal, Role, require_roles
from casebus.domain.errors import DomainRuleViolation
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.store import ConcurrencyError

log = logging.getLogger(__name__)


def _where(loc: tuple[object, ...] | list[object]) -> str:
    return ".".join(str(p) for p in loc if p != "body") or "body"


def create_app(settings: Settings, runtime: ServiceRuntime, title: str,
               lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]]) -> FastAPI:
    app = FastAPI(title=title, lifespan=lifespan)
    app.state.settings = settings
    app.state.runtime = runtime

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": _where(e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                            content={"detail": f"invalid request: {summary}",
                                     "problems": problems})

    @app.exception_handler(DomainRuleViolation)
    async def rule_violated(_: Request, exc: DomainRuleViolation) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_409_CONFLICT,
                            content={"detail": exc.message, "rule": exc.rule})

    @app.exception_handler(ConcurrencyError)
    async def concurrent(_: Request, exc: ConcurrencyError) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_409_CONFLICT,
                            content={"detail": f"{exc}; reload and try again"})

    @app.exception_handler(ConnectionError)
    @app.exception_handler(asyncpg.PostgresConnectionError)
    @app.exception_handler(asyncpg.CannotConnectNowError)
    @app.exception_handler(asyncpg.TooManyConnectionsError)
    async def database_unavailable(_: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        return JSONResponse(status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                            content={"detail": "the case database is unavailable; nothing was "
                                               "recorded, retry (with the same Idempotency-Key)"},
                            headers={"Retry-After": "5"})

    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok", "service": settings.service}

    @app.get("/ready", tags=["operations"])
    async def ready() -> JSONResponse:
        """Readiness: the database answers and every background task is running."""
        checks: dict[str, bool] = dict(runtime.background_healthy())
        try:
            assert runtime.pool is not None
            checks["database"] = await runtime.pool.fetchval("SELECT true") is True
        except Exception:
            checks["database"] = False
        ok = all(checks.values())
        return JSONResponse(status_code=200 if ok else 503,
                            content={"ready": ok, "checks": checks})

    @app.get("/api/v1/dead-letters", tags=["operations"])
    async def dead_letters(principal: Annotated[Principal, Depends(require_roles(
            Role.OPERATOR, Role.AUDITOR))],
            limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, object]:
        """The messages this service's consumers could not apply, newest first, with why.
        Dead letters are platform records without personal data; any district's operator
        may see them."""
        assert runtime.pool is not None
        rows = await runtime.pool.fetch(
            """SELECT id, consumer, topic, partition, kafka_offset, reason, at,
                      left(encode(raw, 'escape'), 2000) AS message  -- any bytes, safely
               FROM dead_letters ORDER BY id DESC LIMIT $1""", limit)
        total = await runtime.pool.fetchval("SELECT count(*) FROM dead_letters")
        return {"service": settings.service, "total": total,
                "dead_letters": [dict(r) for r in rows]}

    @app.get("/metrics", tags=["operations"])
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest().decode(), media_type=CONTENT_TYPE_LATEST)

    return app

