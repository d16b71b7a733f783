"""The FastAPI app every service starts from: health, readiness, metrics, clear errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import asyncpg
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from casebus.dead_letter_routes import include_dead_letter_routes
from casebus.domain.errors import DomainRuleViolation
from casebus.http_busy import answer_busy_at_once
from casebus.http_docs import serve_docs_offline
from casebus.http_guard import RefuseNulCharacters
from casebus.http_problems import Problem
from casebus.idempotency import IdempotencyKeyReused
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.store import ConcurrencyError

log = logging.getLogger(__name__)

DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    ConnectionError, TimeoutError, asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError, asyncpg.InterfaceError,
    asyncpg.OperatorInterventionError,  # admin shutdown, crash shutdown, cannot connect now
    # A connection that broke mid-operation (e.g. the server was killed): "cannot switch to
    # state ...; another operation is in progress". Found by the chaos suite as a 500.
    asyncpg.InternalClientError,
)


def _where(error: dict[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        return "body"  # the position inside broken JSON is not a field
    return ".".join(str(p) for p in error["loc"] if p != "body") or "body"


def app_state(name: str) -> Callable[[Request], Any]:
    """A dependency returning ``request.app.state.<name>`` (a service's wired parts)."""
    async def get(request: Request) -> Any:
        return getattr(request.app.state, name)
    return get


def create_app(settings: Settings, runtime: ServiceRuntime, title: str,
               lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]]) -> FastAPI:
    settings.check_safe_to_serve()
    app = FastAPI(title=title, lifespan=lifespan, docs_url=None, redoc_url=None,
                  responses={503: {"model": Problem, "description": "the database is "
                                   "unavailable; nothing was recorded, retry"}})
    serve_docs_offline(app)
    app.add_middleware(RefuseNulCharacters)
    answer_busy_at_once(app)  # casebus/http_busy.py
    app.state.settings = settings
    app.state.runtime = runtime

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": _where(e), "problem": e["msg"]} for e in exc.errors()]
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

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(_: Request, exc: IdempotencyKeyReused) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                            content={"detail": str(exc),
                                     "problems": [{"field": "Idempotency-Key",
                                                   "problem": str(exc)}]})

    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _database_unavailable)

    @app.get("/health", tags=["operations"])
    async def health() -> JSONResponse:
        """Liveness: the process answers and no background task was given up (a relay or
        consumer that died for good must get the process restarted)."""
        dead = [name for name, alive in runtime.background_healthy().items() if not alive]
        body = {"status": "dead" if dead else "ok", "service": settings.service}
        if dead:
            body["dead_tasks"] = ", ".join(dead)
        return JSONResponse(status_code=503 if dead else 200, content=body)

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

    include_dead_letter_routes(app, runtime)  # casebus/dead_letter_routes.py

    @app.get("/metrics", tags=["operations"])
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest().decode(), media_type=CONTENT_TYPE_LATEST)

    return app


async def _database_unavailable(_: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable: %r", exc)
    return JSONResponse(status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                        content={"detail": "the case database is unavailable; nothing was "
                                           "recorded, retry (with the same Idempotency-Key)"},
                        headers={"Retry-After": "5"})
