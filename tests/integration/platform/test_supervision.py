"""Background tasks are restarted when they fail; one that keeps failing fails liveness."""

from __future__ import annotations

import asyncio

from casebus.embedded.broker import EmbeddedBroker
from casebus.http import create_app
from casebus.runtime import ServiceRuntime
from tests.conftest import eventually, make_settings
from tests.integration.service_app import running_app


async def test_failed_tasks_restart_and_a_hopeless_one_fails_liveness(
        database_url: str, broker: EmbeddedBroker) -> None:
    settings = make_settings(database_url, broker.bootstrap, service="supervision-test",
                             task_restart_backoff_seconds=0.05)
    runs = {"flaky": 0, "broken": 0}

    async def flaky() -> None:
        runs["flaky"] += 1
        if runs["flaky"] <= 2:
            raise RuntimeError("e.g. topic provisioning refused, for a while")
        await asyncio.Event().wait()  # then runs until cancelled

    async def broken() -> None:
        runs["broken"] += 1
        raise RuntimeError("e.g. a checkpoint from another cluster")

    runtime = ServiceRuntime(settings, workers=[("flaky", flaky), ("broken", broken)])
    app = create_app(settings, runtime, "test",
                     runtime.lifespan(lambda app, rt: None, with_relay=False))
    async with running_app(app) as client:
        async def dead() -> bool:
            return (await client.get("/health")).status_code == 503
        await eventually(dead, timeout=20)
        health = (await client.get("/health")).json()
        ready = await client.get("/ready")
    assert health["dead_tasks"] == "broken"
    assert ready.status_code == 503 and ready.json()["checks"] == {
        "flaky": True, "broken": False, "pruner": True, "database": True}
    assert runs == {"flaky": 3, "broken": 5}
