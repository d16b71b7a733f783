"""Routing in-process on the real database and broker, on a simulated clock; intake's events
are fed by calling the consumer's handlers inside a transaction (as the consumer does), or
published on intake's topic (``test_consumer_wiring``).

These tests get a broker of their own (one for the package): routing's consumer reads intake's
and accountability's topics from offset 0 at every start, and another package's calendar
corrections for the same district would move the deadlines asserted here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.domain.deadlines import CHINA_TZ
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent, make_cloud_event
from casebus.settings import Settings
from services.routing.bootstrap import Routing, build_app
from services.routing.service_layer.intake_reactions import IntakeReactions
from tests.conftest import broker_of_its_own, make_settings
from tests.integration.service_app import auth, running_app


def local(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=CHINA_TZ)


T0 = local(2026, 3, 2)  # Monday; no holiday in March 2026


@pytest.fixture(scope="package")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    yield from broker_of_its_own(tmp_path_factory, "routing-broker")


@pytest.fixture
def settings(database_url: str, broker: EmbeddedBroker) -> Settings:
    return make_settings(database_url, broker.bootstrap, service="routing")


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(T0)


@pytest.fixture
async def running(settings: Settings, clock: SimulatedClock
                  ) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = build_app(settings, clock=clock)
    async with running_app(app) as client:
        yield app, client


@pytest.fixture
def app(running: tuple[FastAPI, httpx.AsyncClient]) -> FastAPI:
    return running[0]


@pytest.fixture
def client(running: tuple[FastAPI, httpx.AsyncClient]) -> httpx.AsyncClient:
    return running[1]


def intake_event(wire_type: str, case_id: str, district: str = "chaoyang",
                 at: datetime = T0 - timedelta(hours=1), **data: Any) -> CloudEvent:
    return make_cloud_event(
        event_id=str(uuid4()), source="urn:petition:intake", wire_type=wire_type,
        subject=case_id, time=at, district=district, correlation_id=case_id,
        causation_id=case_id, actor="clerk:wang",
        data={"case_id": case_id, "district": district, "occurred_at": at.isoformat(), **data})


def registered(case_id: str, category: str = "gas", community: str = "Dingjia",
               district: str = "chaoyang", **changes: Any) -> CloudEvent:
    data: dict[str, Any] = {
        "received_at": (T0 - timedelta(hours=2)).isoformat(), "channel": "visit",
        "category": category, "community": community, "location": None,
        "subject": "Gas supply never connected", "level": "street",
        "petitioner_ids": ["p-1"], "petitioner_count": 1, "collective": False,
        "representatives": None, "skip_level": False, "responsible_level": None,
        "key_person": False, "key_period": False, "matter_kind": "claim"}
    data.update(changes)
    return intake_event("petition.case.registered.v1", case_id, district, **data)


async def feed(app: FastAPI, event: CloudEvent) -> None:
    """Apply an intake event as the consumer would: its handler, inside one transaction."""
    service: Routing = app.state.routing
    handler = IntakeReactions(service.assignments).handlers[event.type]
    async with service.pool.acquire() as conn, conn.transaction():
        await handler(conn, event)


async def new_case(app: FastAPI, category: str = "gas", community: str = "Dingjia",
                   district: str = "chaoyang") -> str:
    case_id = f"case-{uuid4().hex[:8]}"
    await feed(app, registered(case_id, category, community, district))
    return case_id


def unit(settings: Settings, unit_id: str, district: str = "chaoyang") -> dict[str, str]:
    return auth(settings, district=district, role=Role.UNIT_HANDLER,
                subject=f"handler-{unit_id}", unit=unit_id)


def leader(settings: Settings, district: str = "chaoyang") -> dict[str, str]:
    return auth(settings, district=district, role=Role.LEADER, subject="leader-zhao")


def clerk(settings: Settings, district: str = "chaoyang") -> dict[str, str]:
    return auth(settings, district=district, role=Role.CLERK, subject="clerk-wang")


async def stream_types(app: FastAPI, case_id: str) -> list[str]:
    service: Routing = app.state.routing
    return [e.wire_type() for e in await service.repository.load(case_id)]
