"""The running app assesses letters from what its consumer reads off the real broker: a month of
intake's and routing's events published on their topics (read independently, in any relative
order), a letter signed over them, and a later event that breaks another target."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from casebus.settings import Settings
from services.accountability.bootstrap import build_app
from tests.conftest import broker_of_its_own, eventually, make_settings
from tests.integration.accountability.conftest import MARCH_END
from tests.integration.accountability.facts import ROUTING
from tests.integration.accountability.month import handled, march
from tests.integration.accountability.test_accountability_app import publish
from tests.integration.accountability.test_letters_http import LETTER
from tests.integration.service_app import auth, running_app


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """Its own broker: the package's carries the consumer group of every earlier test's app,
    and a rebalance after their churn can outlast this module's waits (seen on a busy
    machine)."""
    yield from broker_of_its_own(tmp_path_factory, "letters-broker")


@pytest.fixture
def settings(database_url: str, broker: EmbeddedBroker) -> Settings:
    return make_settings(database_url, broker.bootstrap, service="accountability",
                         scheduler_interval_seconds=0.05)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(build_app(settings, SimulatedClock(MARCH_END))) as c:
        yield c


async def test_breaches_follow_the_events_read_from_the_topics(
        client: httpx.AsyncClient, settings: Settings, broker: EmbeddedBroker,
        pool: asyncpg.Pool) -> None:
    events = march()
    await publish(broker, "intake", *[e for e in events if _service(e) == "intake"])
    await publish(broker, "routing", *[e for e in events if _service(e) == "routing"])

    async def applied() -> bool:
        count: int = await pool.fetchval(  # its own clock events are in the inbox too
            "SELECT count(*) FROM inbox WHERE event_id = ANY($1::text[])", [e.id for e in events])
        return count == len(events)

    await eventually(applied)
    leader = auth(settings, role=Role.LEADER, subject="zhao")
    signed = await client.post("/api/v1/responsibility-letters", json=LETTER,
                               headers=leader | {"Idempotency-Key": "sign-1"})
    assert signed.status_code == 201, signed.text
    assert (await findings(client, leader))["repeat"] == ["gas-3"]
    assert (await findings(client, leader))["no-case-overdue"] == ["gas-4"]  # not urban-1's
    assert "collective" not in await findings(client, leader)

    # Then, as events come: a second collective petition breaks "at most 1 collective".
    later = [*handled("gas-20", 20, collective=True), *handled("gas-21", 21, collective=True)]
    await publish(broker, "intake", *[e for e in later if _service(e) == "intake"])
    await publish(broker, "routing", *[e for e in later if _service(e) == "routing"])

    async def collective() -> list[str] | None:
        return (await findings(client, leader)).get("collective")

    assert await eventually(collective) == ["gas-20", "gas-21"]


async def findings(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    answer = await client.get("/api/v1/accountability-reviews", headers=headers)
    return {r["finding"]["rate"] or r["finding"]["target"]: r["finding"]["case_ids"]
            for r in answer.json()["reviews"]}


def _service(event: CloudEvent) -> str:
    return "routing" if event.type.split(".")[2] in ROUTING else "intake"
