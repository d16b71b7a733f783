"""Letters, reviews and spot checks over HTTP on the running app (real database and broker):
the happy paths, refusals with the domain's rule ids (409), bad input (422), roles, another
district's records answering 404, and idempotent replays. Case facts are fed through the
consumer's handlers into the app's database, as the consumer would apply them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.embedded.broker import EmbeddedBroker
from casebus.settings import Settings
from services.accountability.bootstrap import build_app
from tests.conftest import make_settings
from tests.integration.accountability.conftest import MARCH_END
from tests.integration.service_app import auth, running_app

LETTER = {"unit_id": "gas-company", "year": 2026, "responsible_person": "Manager Liu",
          "targets": {"minimum_percent": {"first-visit-resolution": 50, "unit-satisfaction": 95,
                                          "office-satisfaction": 90,
                                          "evaluation-participation": 100,
                                          "timely-acceptance": 100, "on-time-answer": 90},
                      "maximum_count": {"repeat": 0, "collective": 1, "skip-level": 0},
                      "no_case_overdue": True}}


@pytest.fixture
def settings(database_url: str, broker: EmbeddedBroker) -> Settings:
    return make_settings(database_url, broker.bootstrap, service="accountability")


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(build_app(settings, SimulatedClock(MARCH_END))) as c:
        yield c


def leader(settings: Settings, district: str = "chaoyang") -> dict[str, str]:
    return auth(settings, district, Role.LEADER, "zhao") | {"Idempotency-Key": uuid4().hex}


async def sign(client: httpx.AsyncClient, settings: Settings, **changes: Any) -> httpx.Response:
    return await client.post("/api/v1/responsibility-letters", json=LETTER | changes,
                             headers=leader(settings))


async def test_sign_read_list_amend_and_replay(client: httpx.AsyncClient, settings: Settings,
                                               pool: asyncpg.Pool) -> None:
    headers = leader(settings)
    signed = await client.post("/api/v1/responsibility-letters", json=LETTER, headers=headers)
    assert signed.status_code == 201, signed.text
    body = signed.json()
    assert body["targets"] == {**LETTER["targets"], "minimum_percent": {  # type: ignore[dict-item]
        k: str(v) for k, v in LETTER["targets"]["minimum_percent"].items()}}  # type: ignore[index]
    assert (body["unit_id"], body["year"], body["amendments"]) == ("gas-company", 2026, 0)
    replay = await client.post("/api/v1/responsibility-letters", json=LETTER, headers=headers)
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json() == body
    letter_id = body["letter_id"]
    reader = auth(settings, role=Role.AUDITOR, subject="audit-qian")
    assert (await client.get(f"/api/v1/responsibility-letters/{letter_id}",
                             headers=reader)).json() == {
        k: v for k, v in body.items() if k != "breaches_recorded"}
    listed = await client.get("/api/v1/responsibility-letters",
                              params={"year": 2026, "unit": "gas-company"}, headers=reader)
    assert [x["letter_id"] for x in listed.json()["letters"]] == [letter_id]
    assert (await client.get("/api/v1/responsibility-letters", params={"year": 2025},
                             headers=reader)).json()["letters"] == []
    amended = await client.post(
        f"/api/v1/responsibility-letters/{letter_id}/amendments", headers=leader(settings),
        json={"responsible_person": "Deputy Sun", "targets": LETTER["targets"],
              "reason": "Manager Liu moved"})
    assert amended.status_code == 200, amended.text
    assert (amended.json()["responsible_person"], amended.json()["amendments"]) == (
        "Deputy Sun", 1)
    types = await pool.fetch("SELECT type FROM events WHERE stream_id = "
                             "'responsibility-letter/chaoyang/gas-company/2026' ORDER BY version")
    assert [r["type"] for r in types] == ["petition.responsibility-letter.signed.v1",
                                          "petition.responsibility-letter.amended.v1"]


async def test_refusals_carry_the_domains_rule_ids(client: httpx.AsyncClient,
                                                   settings: Settings) -> None:
    assert (await sign(client, settings)).status_code == 201
    cases = [
        ({}, "one-letter-per-unit-and-year"),
        ({"unit_id": "u2", "targets": {"minimum_percent": {"on-time-answer": 101}}},
         "target-threshold-within-0-100"),
        ({"unit_id": "u3", "targets": {"minimum_percent": {"repeat": 10}}},
         "minimum-only-for-rates-where-more-is-better"),
        ({"unit_id": "u4", "targets": {"maximum_count": {"on-time-answer": 1}}},
         "count-limit-only-for-three-visits"),
        ({"unit_id": "u5", "targets": {"no_case_overdue": False}}, "letter-sets-a-target"),
    ]
    for changes, rule in cases:
        refused = await sign(client, settings, **changes)
        assert refused.status_code == 409, (changes, refused.text)
        assert refused.json()["rule"] == rule


async def test_bad_input_is_422_and_roles_and_districts_are_kept(
        client: httpx.AsyncClient, settings: Settings) -> None:
    for bad in ({"year": 3000}, {"unit_id": " "}, {"targets": {"minimum_percent": {"x": 1}}},
                {"extra": 1}, {"targets": {"maximum_count": {"repeat": 10**9}}}):
        answer = await sign(client, settings, **bad)
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.json()["problems"]
    clerk = auth(settings) | {"Idempotency-Key": "k-clerk"}
    assert (await client.post("/api/v1/responsibility-letters", json=LETTER,
                              headers=clerk)).status_code == 403
    letter_id = (await sign(client, settings)).json()["letter_id"]
    unit = auth(settings, role=Role.UNIT_HANDLER, subject="li", unit="gas-company")
    assert (await client.get("/api/v1/responsibility-letters", headers=unit)).status_code == 403
    haidian = leader(settings, "haidian")
    assert (await client.get(f"/api/v1/responsibility-letters/{letter_id}",
                             headers=haidian)).status_code == 404
    assert (await client.get("/api/v1/responsibility-letters/no-such",
                             headers=leader(settings))).status_code == 404
    assert (await client.post(f"/api/v1/responsibility-letters/{letter_id}/amendments",
                              headers=haidian, json={"responsible_person": "x", "reason": "y",
                                                     "targets": {}})).status_code == 404
    assert (await client.get("/api/v1/responsibility-letters",
                             headers=haidian)).json()["letters"] == []


async def test_a_revoked_letter_is_final_and_the_unit_may_sign_anew(
        client: httpx.AsyncClient, settings: Settings, pool: asyncpg.Pool) -> None:
    letter_id = (await sign(client, settings)).json()["letter_id"]
    path = f"/api/v1/responsibility-letters/{letter_id}/revocation"
    revoked = await client.post(path, json={"reason": "unit merged"}, headers=leader(settings))
    assert (revoked.status_code, revoked.json()["in_force"]) == (200, False)
    again = await client.post(path, json={"reason": "unit merged"}, headers=leader(settings))
    assert (again.status_code, again.json()["rule"]) == (409, "revoked-letter-is-final")
    amend = await client.post(f"/api/v1/responsibility-letters/{letter_id}/amendments",
                              json={"responsible_person": "x", "reason": "y",
                                    "targets": LETTER["targets"]}, headers=leader(settings))
    assert (amend.status_code, amend.json()["rule"]) == (409, "revoked-letter-is-final")
    assert (await sign(client, settings)).status_code == 201
    in_force = await pool.fetch("SELECT letter_id FROM letters WHERE in_force")
    assert [r["letter_id"] for r in in_force] != [letter_id] and len(in_force) == 1
