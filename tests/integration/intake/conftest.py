"""Intake on the real database and broker, in-process, on a simulated clock, in a district
whose routing rules intake has learnt (applied through its own consumer handler)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from casebus.clock import SimulatedClock
from casebus.embedded.broker import EmbeddedBroker
from casebus.settings import Settings
from services.intake.bootstrap import build_app
from tests.conftest import make_settings
from tests.integration.intake.helpers import START, apply, rules_published
from tests.integration.service_app import running_app


@pytest.fixture
def settings(database_url: str, broker: EmbeddedBroker) -> Settings:
    return make_settings(database_url, broker.bootstrap, service="intake")


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
def app(settings: Settings, clock: SimulatedClock) -> FastAPI:
    return build_app(settings, clock)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(app) as c:
        await apply(app, rules_published("chaoyang"))
        yield c
