"""The calendar routes on a real database. Accountability's bootstrap does not wire them yet:
the router is mounted on a ``create_app`` app (the same error answers) with the app.state
objects the bootstrap is to provide (``calendar_book``, ``calendar_repository``, a clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from casebus.access import Role
from casebus.calendars import DDL, CalendarBook
from casebus.clock import SimulatedClock
from casebus.domain.calendar_corrections import CalendarDayCorrected
from casebus.domain.events import EventRegistry
from casebus.http import create_app
from casebus.repository import EventSourcedRepository
from casebus.runtime import ServiceRuntime
from casebus.settings import Settings
from casebus.store import EventStore
from casebus.topics import events_topic
from services.accountability.entrypoints.calendar import router
from tests.conftest import make_settings
from tests.integration.service_app import auth, running_app
from tests.unit.clocks.calendars import local


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, "127.0.0.1:1", service="accountability")


def calendar_app(settings: Settings, pool: asyncpg.Pool) -> FastAPI:
    runtime = ServiceRuntime(settings, pool=pool, store=EventStore(pool))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield

    app = create_app(settings, runtime, "calendar", lifespan)
    app.state.calendar_book = CalendarBook(pool)
    app.state.calendar_repository = EventSourcedRepository(
        EventStore(pool), EventRegistry(CalendarDayCorrected), source="accountability",
        topic=events_topic("accountability"))
    app.state.accountability = SimpleNamespace(clock=SimulatedClock(local(2025, 9, 1, 10)))
    app.include_router(router)
    return app


@pytest.fixture
async def client(settings: Settings, pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    await pool.execute(DDL)
    async with running_app(calendar_app(settings, pool)) as c:
        yield c


def leader(settings: Settings) -> dict[str, str]:
    return auth(settings, role=Role.LEADER, subject="leader-zhao")


async def test_reads_the_national_schedule_with_its_source(client, settings) -> None:
    answer = await client.get("/api/v1/calendar", params={"year": 2025}, headers=auth(settings))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["nationally_scheduled"] is True
    assert body["source"]["document_number"] == "国办发明电〔2024〕12号"
    assert {f"2025-10-0{d}" for d in range(1, 9)} <= set(body["holidays"])
    assert {"2025-09-28", "2025-10-11"} <= set(body["makeup_workdays"])
    assert body["corrections"] == []


async def test_an_unscheduled_year_says_so(client, settings) -> None:
    operator = auth(settings, role=Role.OPERATOR, subject="ops")
    body = (await client.get("/api/v1/calendar", params={"year": 2027}, headers=operator)).json()
    assert body["nationally_scheduled"] is False and body["source"] is None
    assert body["holidays"] == [] and body["makeup_workdays"] == []


async def test_a_leader_corrects_a_day(client, settings, pool) -> None:
    answer = await client.put("/api/v1/calendar/days/2025-10-09", headers=leader(settings),
                              json={"kind": "holiday", "reason": " flood closure "})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"district": "chaoyang", "day": "2025-10-09", "kind": "holiday",
                              "reason": "flood closure", "corrected_by": "leader-zhao",
                              "working_day": False}
    body = (await client.get("/api/v1/calendar", params={"year": 2025},
                             headers=auth(settings))).json()
    assert "2025-10-09" in body["holidays"]
    assert [(c["day"], c["kind"], c["corrected_by"]) for c in body["corrections"]] == [
        ("2025-10-09", "holiday", "leader-zhao")]
    published = await pool.fetchrow("SELECT topic, key, message FROM outbox")
    assert published["topic"] == "petitions.accountability.events"
    assert published["key"] == "calendar:chaoyang"
    assert published["message"]["type"] == "petition.calendar.day-corrected.v1"
    # another district's calendar is untouched
    other = (await client.get("/api/v1/calendar", params={"year": 2025},
                              headers=auth(settings, district="haidian"))).json()
    assert "2025-10-09" not in other["holidays"] and other["corrections"] == []


async def test_a_correction_that_changes_nothing_is_409(client, settings) -> None:
    answer = await client.put("/api/v1/calendar/days/2025-10-03", headers=leader(settings),
                              json={"kind": "holiday", "reason": "already off"})
    assert answer.status_code == 409
    assert answer.json()["rule"] == "calendar-correction-changes-something"


async def test_a_retry_with_the_same_key_changes_nothing(client, settings, pool) -> None:
    headers = leader(settings) | {"Idempotency-Key": "cal-1"}
    body = {"kind": "working-day", "reason": "make-up for the flood"}
    first = await client.put("/api/v1/calendar/days/2025-09-13", headers=headers, json=body)
    again = await client.put("/api/v1/calendar/days/2025-09-13", headers=headers, json=body)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert await pool.fetchval("SELECT count(*) FROM calendar_corrections") == 1


@pytest.mark.parametrize("role", [Role.CLERK, Role.AUDITOR])
async def test_only_leaders_correct(client, settings, role) -> None:
    answer = await client.put("/api/v1/calendar/days/2025-10-09", json={
        "kind": "holiday", "reason": "x"}, headers=auth(settings, role=role))
    assert answer.status_code == 403


async def test_a_token_is_required(client) -> None:
    assert (await client.get("/api/v1/calendar", params={"year": 2025})).status_code == 401


@pytest.mark.parametrize(("day", "body", "field"), [
    ("2025-13-01", {"kind": "holiday", "reason": "x"}, "day"),
    ("tomorrow", {"kind": "holiday", "reason": "x"}, "day"),
    ("2025-10-09", {"kind": "vacation", "reason": "x"}, "kind"),
    ("2025-10-09", {"kind": "holiday", "reason": "   "}, "reason"),
    ("2025-10-09", {"kind": "holiday"}, "reason"),
    ("2025-10-09", {"kind": "holiday", "reason": "x", "surprise": 1}, "surprise"),
])
async def test_bad_input_is_422_naming_the_field(client, settings, day, body, field) -> None:
    answer = await client.put(f"/api/v1/calendar/days/{day}", json=body, headers=leader(settings))
    assert answer.status_code == 422, answer.text
    assert any(field in p["field"] for p in answer.json()["problems"])


async def test_a_year_out_of_range_is_422(client, settings) -> None:
    assert (await client.get("/api/v1/calendar", params={"year": 99},
                             headers=auth(settings))).status_code == 422
