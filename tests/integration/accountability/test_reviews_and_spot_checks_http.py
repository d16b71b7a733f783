"""Accountability reviews and spot checks over HTTP on the running app: a letter signed over a
month of cases opens reviews; a leader concludes one (once, naming the responsible person where
the unit's error induced a petition); spot checks draw the same cases from the same seed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.embedded.broker import EmbeddedBroker
from casebus.settings import Settings
from services.accountability.bootstrap import build_app
from services.accountability.domain.spot_check import spot_check_sample
from tests.conftest import make_settings
from tests.integration.accountability.conftest import MARCH_END, Instance
from tests.integration.accountability.facts import deliver
from tests.integration.accountability.month import march
from tests.integration.accountability.test_letters_http import LETTER
from tests.integration.service_app import auth, running_app

CLOSED_IN_MARCH = ["gas-1", "gas-2", "gas-3"]
DRAW = {"unit_id": "gas-company", "period_start": "2026-03-01T00:00:00+08:00",
        "period_end": "2026-04-01T00:00:00+08:00", "sample_size": 2}


@pytest.fixture
def settings(database_url: str, broker: EmbeddedBroker) -> Settings:
    return make_settings(database_url, broker.bootstrap, service="accountability")


@pytest.fixture
async def client(settings: Settings, pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(build_app(settings, SimulatedClock(MARCH_END))) as c:
        # The month's facts, applied as the app's consumer would, into the app's database.
        await deliver(pool, Instance(pool, SimulatedClock(MARCH_END)).handlers, *march())
        yield c


def as_(settings: Settings, role: Role = Role.LEADER, district: str = "chaoyang"
        ) -> dict[str, str]:
    return auth(settings, district, role, "zhao") | {"Idempotency-Key": uuid4().hex}


async def test_reviews_listed_and_concluded_once(client: httpx.AsyncClient,
                                                 settings: Settings) -> None:
    signed = await client.post("/api/v1/responsibility-letters", json=LETTER,
                               headers=as_(settings))
    assert len(signed.json()["breaches_recorded"]) == 6
    listed = await client.get("/api/v1/accountability-reviews",
                              headers=as_(settings, Role.AUDITOR))
    reviews = listed.json()["reviews"]
    assert len(reviews) == 6 and all(r["open"] for r in reviews)
    [repeat] = [r for r in reviews if r["finding"]["rate"] == "repeat"]
    assert (repeat["finding"]["case_ids"], repeat["finding"]["measured"]) == (["gas-3"], "1.00")
    path = f"/api/v1/accountability-reviews/{repeat['review_id']}/conclusion"
    nameless = {"responsibility_confirmed": True, "induced_by_unit_error": True,
                "conclusion": "The first answer was never delivered."}
    refused = await client.post(path, json=nameless, headers=as_(settings))
    assert (refused.status_code, refused.json()["rule"]) == (
        409, "unit-error-names-the-responsible-person")
    assert (await client.post(path, json=nameless | {"responsible_person": "x"},
                              headers=as_(settings, district="haidian"))).status_code == 404
    assert (await client.post(path, json=nameless | {"responsible_person": "x"},
                              headers=as_(settings, Role.AUDITOR))).status_code == 403
    headers = as_(settings)
    done = await client.post(path, json=nameless | {"responsible_person": "Manager Liu"},
                             headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["conclusion"]["responsible_person"] == "Manager Liu"
    assert not done.json()["open"]
    replay = await client.post(path, json=nameless | {"responsible_person": "Manager Liu"},
                               headers=headers)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    again = await client.post(path, json=nameless | {"responsible_person": "Manager Liu"},
                              headers=as_(settings))
    assert (again.status_code, again.json()["rule"]) == (409, "review-concluded-once")
    still_open = (await client.get("/api/v1/accountability-reviews",
                                   headers=as_(settings))).json()["reviews"]
    assert repeat["review_id"] not in {r["review_id"] for r in still_open}
    assert len(still_open) == 5
    assert (await client.get("/api/v1/accountability-reviews",
                             headers=as_(settings, district="haidian"))).json()["reviews"] == []


async def test_spot_check_reproducible_from_its_seed_with_findings(
        client: httpx.AsyncClient, settings: Settings) -> None:
    first = await client.post("/api/v1/spot-checks", json=DRAW | {"seed": 7},
                              headers=as_(settings, Role.AUDITOR))
    assert first.status_code == 201, first.text
    chosen = first.json()["chosen_case_ids"]
    assert chosen == list(spot_check_sample(CLOSED_IN_MARCH, 2, 7))
    assert first.json()["population_count"] == 3
    second = await client.post("/api/v1/spot-checks", json=DRAW | {"seed": 7},
                               headers=as_(settings))
    assert second.json()["chosen_case_ids"] == chosen
    assert second.json()["spot_check_id"] != first.json()["spot_check_id"]
    unseeded = (await client.post("/api/v1/spot-checks", json=DRAW,
                                  headers=as_(settings))).json()
    assert unseeded["chosen_case_ids"] == list(
        spot_check_sample(CLOSED_IN_MARCH, 2, unseeded["seed"]))

    check = f"/api/v1/spot-checks/{first.json()['spot_check_id']}"
    finding = {"case_id": chosen[0], "compliant": False, "finding": "Answer delivered late."}
    recorded = await client.post(f"{check}/findings", json=finding, headers=as_(settings))
    assert recorded.status_code == 200, recorded.text
    twice = await client.post(f"{check}/findings", json=finding, headers=as_(settings))
    assert (twice.status_code, twice.json()["rule"]) == (409, "finding-recorded-once")
    [not_drawn] = set(CLOSED_IN_MARCH) - set(chosen)
    stray = await client.post(f"{check}/findings", json=finding | {"case_id": not_drawn},
                              headers=as_(settings))
    assert (stray.status_code, stray.json()["rule"]) == (409, "finding-only-for-a-drawn-case")
    read = (await client.get(check, headers=as_(settings, Role.AUDITOR))).json()
    assert read["findings"] == [finding] and read["seed"] == 7
    assert (await client.get(check, headers=as_(settings, district="haidian"))).status_code == 404
    assert (await client.get(check, headers=as_(settings, Role.CLERK))).status_code == 403
    for bad in ({"sample_size": 10**6}, {"seed": -1}, {"period_start": "2026-03-01"}):
        assert (await client.post("/api/v1/spot-checks", json=DRAW | bad,
                                  headers=as_(settings))).status_code == 422
    empty = await client.post("/api/v1/spot-checks", json=DRAW | {"sample_size": 0},
                              headers=as_(settings))
    assert (empty.status_code, empty.json()["rule"]) == (409, "spot-check-sample-size-positive")
