"""Accountability's composition root: clocks kept from intake's and routing's events, the
deadline watcher that warns and breaches them, the district calendars, HTTP."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from fastapi import FastAPI

from casebus import calendars
from casebus.calendars import CalendarBook
from casebus.clock import Clock, clock_from
from casebus.consumer import InboxConsumer
from casebus.domain.calendar_corrections import CalendarDayCorrected
from casebus.domain.clock_events import CLOCK_EVENTS
from casebus.domain.deadlines import DEFAULT_WARN_WORKING_DAYS, DeadlinePolicy
from casebus.domain.events import EventRegistry
from casebus.http import create_app
from casebus.repository import EventSourcedRepository
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.accountability.adapters import clock_index
from services.accountability.service_layer.clock_keeping import ClockKeeping
from services.accountability.service_layer.deadline_watcher import DeadlineWatcher
from services.accountability.service_layer.intake_reactions import IntakeReactions
from services.accountability.service_layer.routing_reactions import RoutingReactions


@dataclass
class Accountability:
    pool: asyncpg.Pool
    keeping: ClockKeeping
    clock: Clock  # the service's time (simulated in the embedded profile and tests)


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings(service="accountability")
    settings = settings.model_copy(update={"service": "accountability"})
    runtime = ServiceRuntime(settings, extra_ddl=(calendars.DDL, clock_index.DDL))
    service_clock = clock or clock_from(settings.simulated_clock_file)

    def wire(app: FastAPI, runtime: ServiceRuntime) -> None:
        pool, store = runtime.database
        topic = events_topic("accountability")
        book = CalendarBook(pool)
        keeping = ClockKeeping(EventSourcedRepository(
            store, EventRegistry(*CLOCK_EVENTS), source="accountability", topic=topic), book,
            policies=lambda district: DeadlinePolicy(district, warn_working_days=(
                settings.warn_working_days.get(district, DEFAULT_WARN_WORKING_DAYS))))
        app.state.accountability = Accountability(pool, keeping, service_clock)
        app.state.calendar_book = book
        app.state.calendar_repository = EventSourcedRepository(
            store, EventRegistry(CalendarDayCorrected), source="accountability", topic=topic)
        handlers = {**IntakeReactions(keeping).handlers, **RoutingReactions(keeping).handlers,
                    **book.handlers}
        # Its own topic too: the calendar corrections it publishes (recorded again: idempotent).
        runtime.consumers.append(InboxConsumer(
            "accountability", [events_topic(s) for s in ("intake", "routing", "accountability")],
            handlers, pool, settings))
        watcher = DeadlineWatcher(pool, keeping, service_clock,
                                  settings.scheduler_interval_seconds)
        runtime.workers.append(("deadline-watcher", watcher.run))

    from services.accountability.entrypoints import calendar, http

    app = create_app(settings, runtime, "Petition accountability", runtime.lifespan(wire))
    app.include_router(http.router)
    app.include_router(calendar.router)
    return app
