"""Accountability as it runs: its consumer reads intake's and routing's topics from the real
broker, its deadline watcher runs on the service clock and is reported by /ready, and its API
shows a case's clocks to those who may see them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import TypeVar
from uuid import uuid4

import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from casebus.settings import Settings
from casebus.topics import events_topic
from services.accountability.bootstrap import build_app
from tests.conftest import eventually, make_settings
from tests.integration.accountability.facts import fact
from tests.integration.platform.kafka_tools import produce
from tests.integration.service_app import auth, running_app
from tests.unit.clocks.calendars import local

START = local(2026, 3, 2, 10)
T = TypeVar("T")


@pytest.fixture
def settings(database_url: str, broker: EmbeddedBroker) -> Settings:
    return make_settings(database_url, broker.bootstrap, service="accountability",
                         scheduler_interval_seconds=0.05)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
async def client(settings: Settings, clock: SimulatedClock) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(build_app(settings, clock)) as c:
        yield c


async def publish(broker: EmbeddedBroker, service: str, *events: CloudEvent) -> None:
    await produce(broker.bootstrap, events_topic(service),
                  [(e.subject, e.to_bytes()) for e in events])


async def test_clocks_kept_from_the_topics_warned_and_breached_on_the_service_clock(
        client: httpx.AsyncClient, settings: Settings, clock: SimulatedClock,
        broker: EmbeddedBroker) -> None:
    ready = (await client.get("/ready")).json()
    assert ready["checks"]["deadline-watcher"] is True, ready
    case = f"case-{uuid4().hex[:8]}"
    await publish(broker, "intake", fact("registered", case, START, received_at=START))
    await publish(broker, "routing", fact("assigned", case, START + timedelta(hours=1),
                                          unit_id="gas-company",
                                          acceptance_due=local(2026, 3, 18)))
    clerk = auth(settings)

    async def clocks() -> dict[str, dict]:  # type: ignore[type-arg]
        answer = await client.get(f"/api/v1/cases/{case}/clocks", headers=clerk)
        return {c["kind"]: c for c in answer.json()["clocks"]} if answer.status_code == 200 \
            else {}

    both = await eventually(lambda: _when(clocks(), lambda c: len(c) == 2))
    notify = both["notify-acceptance"]
    assert (notify["phase"], notify["condition"], notify["unit_id"]) == (
        "running", "running", "gas-company")
    assert (notify["due_at"], notify["warn_at"]) == ("2026-03-18T00:00:00+08:00",
                                                     "2026-03-13T00:00:00+08:00")
    assert (both["register-and-forward"]["outcome"], both["register-and-forward"]["on_time"]) \
        == ("forwarded", True)
    clock.advance(local(2026, 3, 13, 8) - START)
    assert (await clocks())["notify-acceptance"]["condition"] == "due-soon"
    clock.advance(local(2026, 3, 18) - local(2026, 3, 13, 8))
    late = await eventually(lambda: _when(clocks(), lambda c: c["notify-acceptance"][
        "breached"]))
    assert late["notify-acceptance"]["condition"] == "overdue"
    assert (await client.get("/api/v1/dead-letters", headers=auth(
        settings, role=Role.OPERATOR, subject="op"))).json()["total"] == 0


async def test_who_may_see_a_cases_clocks(client: httpx.AsyncClient, settings: Settings,
                                          broker: EmbeddedBroker) -> None:
    case = f"case-{uuid4().hex[:8]}"
    await publish(broker, "routing", fact("assigned", case, START, unit_id="gas-company",
                                          acceptance_due=local(2026, 3, 18)))
    path = f"/api/v1/cases/{case}/clocks"

    async def status(district: str = "chaoyang", role: Role = Role.CLERK, subject: str = "c",
                     unit: str | None = None) -> int:
        headers = auth(settings, district, role, subject, unit)
        return (await client.get(path, headers=headers)).status_code

    await eventually(lambda: _when(status(), lambda s: s == 200))
    assert await status(role=Role.AUDITOR, subject="a") == 200
    assert await status(role=Role.UNIT_HANDLER, subject="u", unit="gas-company") == 200
    assert await status(role=Role.UNIT_HANDLER, subject="u", unit="housing") == 404
    assert await status(district="haidian") == 404  # like a case that does not exist
    assert await status(role=Role.OPERATOR, subject="op") == 403
    missing = await client.get("/api/v1/cases/no-such-case/clocks", headers=auth(settings))
    assert missing.status_code == 404


async def test_a_paused_clock_is_shown_due_as_if_it_resumed_now(
        client: httpx.AsyncClient, settings: Settings, clock: SimulatedClock,
        broker: EmbeddedBroker) -> None:
    case = f"case-{uuid4().hex[:8]}"
    await publish(broker, "intake", fact("reexamination-requested", case, START),
                  fact("hearing-started", case, START + timedelta(hours=1)))
    path = f"/api/v1/cases/{case}/clocks"

    async def paused() -> dict | None:  # type: ignore[type-arg]
        answer = await client.get(path, headers=auth(settings))
        shown = answer.json()["clocks"] if answer.status_code == 200 else []
        return shown[0] if shown and shown[0]["phase"] == "paused" else None

    first = await eventually(paused)
    assert (first["due_at"], first["condition"], first["warn_at"]) == (
        "2026-04-02T00:00:00+08:00", "paused", None)  # 30 days: 1 April
    clock.advance(timedelta(days=3))
    later = await paused()
    # 2, 3 and 4 March not counted; the start day 2 March never was: Friday 3 April.
    assert later is not None
    assert (later["due_at"], later["days_not_counted"]) == ("2026-04-04T00:00:00+08:00", 3)


async def test_the_district_calendar_is_served(client: httpx.AsyncClient,
                                               settings: Settings) -> None:
    answer = await client.get("/api/v1/calendar", params={"year": 2026},
                              headers=auth(settings))
    assert answer.status_code == 200, answer.text
    assert "2026-10-01" in answer.json()["holidays"]


async def _when(value: Awaitable[T], holds: Callable[[T], object]) -> T | None:
    result = await value
    return result if result and holds(result) else None


async def test_the_warning_lead_is_configured_per_district(
        database_url: str, broker: EmbeddedBroker, clock: SimulatedClock) -> None:
    settings = make_settings(database_url, broker.bootstrap, service="accountability",
                             warn_working_days={"chaoyang": 5})
    async with running_app(build_app(settings, clock)) as client:
        case = f"case-{uuid4().hex[:8]}"
        await publish(broker, "routing", fact("assigned", case, START, unit_id="gas-company",
                                              acceptance_due=local(2026, 3, 18)))

        async def warn_at() -> str | None:
            answer = await client.get(f"/api/v1/cases/{case}/clocks", headers=auth(settings))
            return answer.json()["clocks"][0]["warn_at"] if answer.status_code == 200 else None

        # Due at the end of Tuesday 17 March: five working days are 11, 12, 13, 16 and 17.
        assert await eventually(warn_at) == "2026-03-11T00:00:00+08:00"
