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


async def test_warm_ups_run_once_and_neither_end_nor_failure_makes_the_service_unready(
        database_url: str, broker: EmbeddedBroker) -> None:
    settings = make_settings(database_url, broker.bootstrap, service="warm-up-test")
    runs = {"fills": 0, "fails": 0}
    hanging = asyncio.Event()

    async def fills() -> None:
        runs["fills"] += 1

    async def fails() -> None:
        runs["fails"] += 1
        raise RuntimeError("e.g. the cache's table not readable yet")

    async def hangs() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            hanging.set()  # cancelled when the service stops

    runtime = ServiceRuntime(settings, warm_ups=[("fills", fills), ("fails", fails),
                                                 ("hangs", hangs)])
    app = create_app(settings, runtime, "test",
                     runtime.lifespan(lambda app, rt: None, with_relay=False))
    async with running_app(app) as client:
        async def both_ran() -> bool:
            return runs == {"fills": 1, "fails": 1}
        await eventually(both_ran, timeout=10)
        await asyncio.sleep(0.2)  # no restart follows
        health = await client.get("/health")
        ready = await client.get("/ready")
    assert runs == {"fills": 1, "fails": 1}
    assert health.status_code == 200
    assert ready.status_code == 200 and ready.json()["checks"] == {"pruner": True,
                                                                   "database": True}
    assert hanging.is_set()
