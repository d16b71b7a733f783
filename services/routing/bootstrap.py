"""Routing's composition root: rules, database, the consumer of intake's events, HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from fastapi import FastAPI

from casebus.calendars import DDL as CALENDAR_DDL
from casebus.calendars import CalendarBook
from casebus.clock import Clock, clock_from
from casebus.consumer import InboxConsumer
from casebus.domain.events import EventRegistry
from casebus.http import create_app
from casebus.repository import EventSourcedRepository
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.routing.adapters.published_rules import PublishedRulesBook
from services.routing.adapters.rule_files import DEFAULT_RULES_DIR, load_rule_documents
from services.routing.domain.events import ROUTING_EVENTS
from services.routing.service_layer.case_assignments import CaseAssignments
from services.routing.service_layer.intake_reactions import IntakeReactions
from services.routing.service_layer.rules_publishing import RulesPublishing


class RoutingSettings(Settings):
    routing_rules_dir: Path = DEFAULT_RULES_DIR


@dataclass
class Routing:
    pool: asyncpg.Pool
    repository: EventSourcedRepository
    rules: PublishedRulesBook
    publishing: RulesPublishing
    assignments: CaseAssignments
    clock: Clock


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = RoutingSettings(**{**(settings.model_dump() if settings else {}),
                                  "service": "routing"})
    documents = load_rule_documents(settings.routing_rules_dir)  # fail fast on a bad document
    the_clock = clock or clock_from(settings.simulated_clock_file)
    runtime = ServiceRuntime(settings, extra_ddl=(CALENDAR_DDL,))

    def wire(app: FastAPI, runtime: ServiceRuntime) -> Routing:
        pool, store = runtime.database
        repository = EventSourcedRepository(store, EventRegistry(*ROUTING_EVENTS),
                                            source="routing", topic=events_topic("routing"))
        rules = PublishedRulesBook(repository)
        calendars = CalendarBook(pool)
        assignments = CaseAssignments(repository, rules, calendars, the_clock)
        service = Routing(pool, repository, rules, RulesPublishing(repository, rules),
                          assignments, the_clock)
        app.state.routing = service
        runtime.consumers.append(InboxConsumer(
            "routing", [events_topic("intake"), events_topic("accountability")],
            {**IntakeReactions(assignments).handlers, **calendars.handlers}, pool, settings))
        return service

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # As ServiceRuntime.lifespan, but the rule files are published before the consumer
        # starts, so that no registered petition finds its district without rules.
        try:
            await runtime.open_database()
            service = wire(app, runtime)
            await service.publishing.publish_files(documents, the_clock.now())
            runtime.start_background()
            yield
        finally:
            await runtime.close()

    from services.routing.entrypoints import (
        leader_routes,
        office_routes,
        read_routes,
        rules_routes,
        unit_routes,
    )

    app = create_app(settings, runtime, "Petition routing", lifespan)
    for module in (read_routes, unit_routes, leader_routes, office_routes, rules_routes):
        app.include_router(module.router)
    return app
