"""Routing's composition root: rules, database, the consumer of intake's events, HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from casebus.clock import Clock, SystemClock
from casebus.consumer import InboxConsumer
from casebus.domain.events import EventRegistry
from casebus.http import create_app
from casebus.repository import EventSourcedRepository
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.routing.adapters.rule_files import DEFAULT_RULES_DIR, load_rule_documents
from services.routing.domain.events import ROUTING_EVENTS
from services.routing.service_layer.assignment import CaseAssignment


class RoutingSettings(Settings):
    routing_rules_dir: Path = DEFAULT_RULES_DIR


@dataclass
class Routing:
    repository: EventSourcedRepository
    assignment: CaseAssignment


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = RoutingSettings(**{**(settings.model_dump() if settings else {}),
                                  "service": "routing"})
    rules = load_rule_documents(settings.routing_rules_dir)  # fail fast on a bad document
    runtime = ServiceRuntime(settings)

    def wire(app: FastAPI, runtime: ServiceRuntime) -> None:
        pool, store = runtime.database
        repository = EventSourcedRepository(store, EventRegistry(*ROUTING_EVENTS),
                                            source="routing", topic=events_topic("routing"))
        assignment = CaseAssignment(repository, rules, clock or SystemClock())
        app.state.routing = Routing(repository, assignment)
        runtime.consumers.append(InboxConsumer(
            "routing", [events_topic("intake")],
            {"petition.case.registered.v1": assignment.on_petition_registered},
            pool, settings))

    from services.routing.entrypoints.http import router

    app = create_app(settings, runtime, "Petition routing", runtime.lifespan(wire))
    app.include_router(router)
    return app
