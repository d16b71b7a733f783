"""Intake's composition root: settings, database, repository, HTTP app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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
from services.intake.adapters.idempotency import DDL as IDEMPOTENCY_DDL
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
    runtime = ServiceRuntime(settings, extra_ddl=(PERSONAL_DATA_DDL, IDEMPOTENCY_DDL))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.open_database()
        assert runtime.pool is not None and runtime.store is not None
        vault = PersonalDataVault()
        repository = EventSourcedRepository(runtime.store, PETITION_EVENTS, source="intake",
                                            topic=events_topic("intake"), personal_data=vault)
        app.state.intake = Intake(runtime.pool, repository, vault, PetitionRegistration(
            runtime.pool, repository, clock or SystemClock(), settings.token_secret))
        runtime.start_background()
        try:
            yield
        finally:
            await runtime.close()

    from services.intake.entrypoints.http import router

    app = create_app(settings, runtime, "Petition intake", lifespan)
    app.include_router(router)
    return app
