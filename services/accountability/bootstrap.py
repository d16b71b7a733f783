"""Accountability's composition root: clocks kept from intake's and routing's events."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from casebus.clock import Clock, SystemClock
from casebus.consumer import InboxConsumer
from casebus.domain.clock_events import CLOCK_EVENTS
from casebus.domain.events import EventRegistry
from casebus.http import create_app
from casebus.repository import EventSourcedRepository
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.accountability.service_layer.clock_keeping import ClockKeeping


@dataclass
class Accountability:
    repository: EventSourcedRepository
    clock: Clock


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings(service="accountability")
    settings = settings.model_copy(update={"service": "accountability"})
    runtime = ServiceRuntime(settings)

    def wire(app: FastAPI, runtime: ServiceRuntime) -> None:
        pool, store = runtime.database
        repository = EventSourcedRepository(store, EventRegistry(*CLOCK_EVENTS),
                                            source="accountability",
                                            topic=events_topic("accountability"))
        keeping = ClockKeeping(repository)
        app.state.accountability = Accountability(repository, clock or SystemClock())
        runtime.consumers.append(InboxConsumer(
            "accountability", [events_topic("intake"), events_topic("routing")],
            {"petition.case.registered.v1": keeping.on_petition_registered,
             "petition.case.assigned.v1": keeping.on_case_assigned},
            pool, settings))

    from services.accountability.entrypoints.http import router

    app = create_app(settings, runtime, "Petition accountability", runtime.lifespan(wire))
    app.include_router(router)
    return app
