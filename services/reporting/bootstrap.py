"""Reporting's composition root: read models fed by every service's public events."""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg
from fastapi import FastAPI

from casebus import calendars
from casebus.calendars import CalendarBook
from casebus.clock import Clock, clock_from
from casebus.consumer import InboxConsumer
from casebus.http import create_app
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.reporting.adapters import early_warnings
from services.reporting.adapters.accountability_schema import DDL as ACCOUNTABILITY_DDL
from services.reporting.adapters.feed_listener import listen_for_feed
from services.reporting.adapters.office_work_schema import DDL as OFFICE_WORK_DDL
from services.reporting.adapters.record_cache import RecordCache
from services.reporting.adapters.schema import DDL
from services.reporting.service_layer.event_handlers import ReadModels
from services.reporting.service_layer.record_warmup import warm_records
from services.reporting.service_layer.standards import Standards
from services.reporting.service_layer.stream_signal import LiveFeed


@dataclass
class Reporting:
    pool: asyncpg.Pool
    clock: Clock
    standards: Standards = field(default_factory=Standards)
    records: RecordCache = field(default_factory=RecordCache)  # rates' case records, parsed


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings(service="reporting")
    settings = settings.model_copy(update={"service": "reporting"})
    runtime = ServiceRuntime(settings, extra_ddl=(DDL, calendars.DDL, OFFICE_WORK_DDL,
                                                  early_warnings.DDL, ACCOUNTABILITY_DDL))

    def wire(app: FastAPI, runtime: ServiceRuntime) -> None:
        pool, _ = runtime.database
        app.state.reporting = reporting = Reporting(
            pool, clock or clock_from(settings.simulated_clock_file), Standards.of(settings),
            RecordCache().reported())
        # Every service keeps the district calendars from accountability's corrections.
        models = ReadModels.of(CalendarBook(pool))
        runtime.consumers.append(InboxConsumer(
            "reporting", [events_topic(s) for s in ("intake", "routing", "accountability",
                                                    "early-warning")],
            models.handlers(), pool, settings, every_other_event=models.apply,
            page_handler=models.apply_page))
        runtime.warm_ups.append(("record-cache", lambda: warm_records(
            pool, reporting.records, reporting.clock)))
        # The live event view: one listener per process wakes every waiting stream.
        app.state.reporting_stream = live = LiveFeed.of(settings.stream_max_clients)
        runtime.workers.append(("event-feed-listener",
                                lambda: listen_for_feed(settings.dsn, live.signal)))

    from services.reporting.entrypoints import early_warning_routes, office_work_routes
    from services.reporting.entrypoints.http import router

    # Reporting publishes nothing: no relay.
    app = create_app(settings, runtime, "Petition reporting",
                     runtime.lifespan(wire, with_relay=False))
    app.include_router(router)
    app.include_router(office_work_routes.router)
    app.include_router(early_warning_routes.router)
    from services.reporting.entrypoints.web_routes import mount_dashboard
    mount_dashboard(app)  # the dashboard's pages and assets
    return app
