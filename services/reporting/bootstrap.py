"""Reporting's composition root: read models fed by every service's public events."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from fastapi import FastAPI

from casebus.clock import Clock, SystemClock
from casebus.consumer import Handler, InboxConsumer
from casebus.envelope import CloudEvent
from casebus.http import create_app
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.reporting.adapters import read_models


@dataclass
class Reporting:
    pool: asyncpg.Pool
    clock: Clock


def _and_timeline(apply: Handler) -> Handler:
    async def both(conn: asyncpg.Connection, event: CloudEvent) -> None:
        await apply(conn, event)
        await read_models.record_in_timeline(conn, event)
    return both


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings(service="reporting")
    settings = settings.model_copy(update={"service": "reporting"})
    runtime = ServiceRuntime(settings, extra_ddl=(read_models.DDL,))

    def wire(app: FastAPI, runtime: ServiceRuntime) -> None:
        pool, _ = runtime.database
        app.state.reporting = Reporting(pool, clock or SystemClock())
        runtime.consumers.append(InboxConsumer(
            "reporting",
            [events_topic(s) for s in ("intake", "routing", "accountability")],
            {"petition.case.registered.v1": _and_timeline(read_models.record_registration),
             "petition.case.assigned.v1": _and_timeline(read_models.record_assignment)},
            pool, settings, every_other_event=read_models.record_in_timeline))

    from services.reporting.entrypoints.http import router

    # Reporting publishes nothing (yet): no relay.
    app = create_app(settings, runtime, "Petition reporting",
                     runtime.lifespan(wire, with_relay=False))
    app.include_router(router)
    return app
