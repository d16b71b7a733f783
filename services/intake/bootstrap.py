"""Intake's composition root: settings, database, repository, consumer, HTTP app."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from fastapi import FastAPI

from casebus.calendars import DDL as CALENDAR_DDL
from casebus.calendars import CalendarBook
from casebus.clock import Clock, clock_from
from casebus.consumer import InboxConsumer
from casebus.http import create_app
from casebus.personal_data import DDL as PERSONAL_DATA_DDL
from casebus.personal_data import PersonalDataVault
from casebus.repository import EventSourcedRepository
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.intake.adapters.tables import DDL as INTAKE_DDL
from services.intake.domain.registry import PETITION_EVENTS
from services.intake.service_layer.cases import CaseHandling
from services.intake.service_layer.office_records import OfficeRecords
from services.intake.service_layer.registration import PetitionRegistration
from services.intake.service_layer.repeat_verdicts import RepeatVerdicts
from services.intake.service_layer.routing_facts import RoutingFacts


@dataclass
class Intake:
    pool: asyncpg.Pool
    repository: EventSourcedRepository
    vault: PersonalDataVault
    cases: CaseHandling
    registration: PetitionRegistration
    verdicts: RepeatVerdicts
    routing_facts: RoutingFacts
    clock: Clock


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings(service="intake")
    runtime = ServiceRuntime(settings, extra_ddl=(PERSONAL_DATA_DDL, CALENDAR_DDL, INTAKE_DDL))
    service_clock = clock or clock_from(settings.simulated_clock_file)

    def wire(app: FastAPI, runtime: ServiceRuntime) -> None:
        pool, store = runtime.database
        vault = PersonalDataVault()
        repository = EventSourcedRepository(store, PETITION_EVENTS, source="intake",
                                            topic=events_topic("intake"), personal_data=vault)
        book = CalendarBook(pool)
        cases = CaseHandling(repository, book, service_clock)
        routing_facts = RoutingFacts(cases)
        app.state.office_records = OfficeRecords(repository, cases)  # reception days, service work
        app.state.intake = Intake(
            pool, repository, vault, cases,
            PetitionRegistration(cases, service_clock, settings.pseudonym_secret),
            RepeatVerdicts(cases), routing_facts, service_clock)
        # Routing's acceptances and rule publications; accountability's calendar corrections.
        runtime.consumers.append(InboxConsumer(
            "intake", [events_topic("routing"), events_topic("accountability")],
            {**routing_facts.handlers, **book.handlers}, pool, settings))

    from services.intake.entrypoints import (
        reception_read_routes,
        reception_routes,
        service_work_routes,
    )
    from services.intake.entrypoints.http import router

    app = create_app(settings, runtime, "Petition intake", runtime.lifespan(wire))
    app.include_router(router)
    for office_routes in (reception_routes, reception_read_routes, service_work_routes):
        app.include_router(office_routes.router)
    return app
