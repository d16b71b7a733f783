"""Intake's composition root: settings, database, repository, HTTP app."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from fastapi import FastAPI

from casebus.clock import Clock, SystemClock
from casebus.http import create_app
from casebus.personal_data import DDL as PERSONAL_DATA_DDL
from casebus.personal_data import PersonalDataVault
from casebus.repository import EventSourcedRepository
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.topics import events_topic
from services.intake.domain.registry import PETITION_EVENTS
from services.intake.service_layer.registration import PetitionRegistration


@dataclass
class Intake:
    pool: asyncpg.Pool
    repository: EventSourcedRepository
    vault: PersonalDataVault
    registration: PetitionRegistration


def build_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings(service="intake")
    runtime = ServiceRuntime(settings, extra_ddl=(PERSONAL_DATA_DDL,))

    def wire(app: FastAPI, runtime: ServiceRuntime) -> None:
        pool, store = runtime.database
        vault = PersonalDataVault()
        repository = EventSourcedRepository(store, PETITION_EVENTS, source="intake",
                                            topic=events_topic("intake"), personal_data=vault)
        registration = PetitionRegistration(pool, repository, clock or SystemClock(),
                                            settings.pseudonym_secret)
        app.state.intake = Intake(pool, repository, vault, registration)

    from services.intake.entrypoints.http import router

    app = create_app(settings, runtime, "Petition intake", runtime.lifespan(wire))
    app.include_router(router)
    return app
