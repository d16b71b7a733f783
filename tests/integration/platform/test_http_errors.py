"""No 5xx but 503 for a database in trouble, and 422 for bodies that do not parse."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from casebus.access import Role
from casebus.embedded.broker import EmbeddedBroker
from casebus.http import create_app
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.store.bounded_pool import BoundedPool
from tests.conftest import eventually, make_settings
from tests.integration.service_app import auth, running_app


class Note(BaseModel):
    text: str


def app_with_routes(settings: Settings) -> tuple[FastAPI, ServiceRuntime]:
    runtime = ServiceRuntime(settings)
    app = create_app(settings, runtime, "test",
                     runtime.lifespan(lambda app, rt: None, with_relay=False))

    @app.get("/slow")
    async def slow() -> dict[str, Any]:
        assert runtime.pool is not None
        return {"slept": await runtime.pool.fetchval("SELECT pg_sleep(5)::text")}

    @app.post("/notes")
    async def note(body: Note) -> dict[str, str]:
        return {"text": body.text}

    return app, runtime


async def test_a_query_ended_by_an_administrator_answers_503(
        database_url: str, broker: EmbeddedBroker) -> None:
    settings = make_settings(database_url, broker.bootstrap, service="errors-test")
    app, _ = app_with_routes(settings)
    admin = await asyncpg.connect(database_url)
    try:
        async with running_app(app) as client:
            request = asyncio.create_task(client.get("/slow"))

            async def sleeping_backend() -> int | None:
                pid: int | None = await admin.fetchval(
                    "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")
                return pid
            pid = await eventually(sleeping_backend, timeout=5)
            await admin.execute("SELECT pg_terminate_backend($1)", pid)  # admin shutdown
            answer = await request
    finally:
        await admin.close()
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "5"


async def test_no_connection_to_be_had_answers_503_in_bounded_time(
        database_url: str, broker: EmbeddedBroker) -> None:
    settings = make_settings(database_url, broker.bootstrap, service="errors-test",
                             db_pool_max=1, db_acquire_timeout_seconds=0.5)
    app, runtime = app_with_routes(settings)
    async with running_app(app) as client:
        assert runtime.pool is not None
        async with runtime.pool.acquire():  # the only connection, busy elsewhere
            answer = await asyncio.wait_for(client.get(
                "/api/v1/dead-letters", headers=auth(settings, role=Role.OPERATOR)), timeout=5)
    assert answer.status_code == 503, answer.text


async def test_an_overloaded_service_answers_503_at_once_and_serves_those_let_in(
        database_url: str, broker: EmbeddedBroker) -> None:
    """Uses hold the one connection 0.4 s, the timeout is 1 s: a request behind two waiting
    ones (about 1.2 s) is answered 503 at once, saying when to retry; the two are served."""
    settings = make_settings(database_url, broker.bootstrap, service="errors-test",
                             db_pool_max=1, db_acquire_timeout_seconds=1.0)
    app, runtime = app_with_routes(settings)
    operator = auth(settings, role=Role.OPERATOR)
    async with running_app(app) as client:
        pool = runtime.pool
        assert isinstance(pool, BoundedPool)
        await asyncio.sleep(0.5)  # the pruner's first pass, at start, leaves the pool to us
        held = await pool.acquire()
        pool.held_s = 0.4  # as if uses held it 0.4 s (test_pool measures holds)
        waiting = [asyncio.create_task(client.get("/api/v1/dead-letters", headers=operator))]
        await eventually(lambda: pool.waiting == 1, timeout=5)
        waiting.append(asyncio.create_task(client.get("/api/v1/dead-letters", headers=operator)))
        await eventually(lambda: pool.waiting == 2, timeout=5)
        started = time.monotonic()
        refused = await client.get("/api/v1/dead-letters", headers=operator)
        seconds = time.monotonic() - started
        await pool.release(held)
        served = await asyncio.wait_for(asyncio.gather(*waiting), timeout=5)
    assert refused.status_code == 503, refused.text
    assert seconds < 0.3
    assert refused.headers["retry-after"] == "2"  # about 1.2 s, rounded up
    assert "busy" in refused.json()["detail"]
    assert [answer.status_code for answer in served] == [200, 200]


async def test_bodies_that_do_not_parse_answer_422_naming_the_body(
        database_url: str, broker: EmbeddedBroker) -> None:
    settings = make_settings(database_url, broker.bootstrap, service="errors-test")
    app, _ = app_with_routes(settings)
    async with running_app(app) as client:
        broken = await client.post("/notes", content=b'{"text": "unfinished',
                                   headers={"Content-Type": "application/json"})
        plain = await client.post("/notes", content=b"text=hello",
                                  headers={"Content-Type": "text/plain"})
        nul = await client.post("/notes", json={"text": "a\u0000b"})
        fine = await client.post("/notes", json={"text": "ok"})
    for answer in (broken, plain, nul):
        assert answer.status_code == 422, answer.text
        assert answer.json()["problems"][0]["field"] == "body", answer.text
    assert fine.status_code == 200


async def test_the_database_gone_answers_503_not_500(embedded_postgres: Any,
                                                     broker: EmbeddedBroker) -> None:
    # A service whose database server does not answer (refused connections on a dead port).
    from casebus.embedded.broker import free_port

    settings = make_settings(f"postgresql://postgres@127.0.0.1:{free_port(0)}/nowhere",
                             broker.bootstrap, service="errors-test")
    runtime = ServiceRuntime(settings)
    app = create_app(settings, runtime, "test", runtime.lifespan(lambda a, r: None))
    transport = httpx.ASGITransport(app=app)  # no lifespan: the pool was never opened
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get("/ready")
    assert answer.status_code == 503
