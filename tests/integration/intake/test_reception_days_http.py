"""Leaders' reception days over HTTP: scheduled, receptions recorded (sealed, never
published), outcomes linked to cases registered at the reception day, closed once held."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI

from casebus.access import Role
from casebus.settings import Settings
from tests.integration.intake.helpers import (
    clerk,
    reader,
    refused,
    register,
    step,
    unit_handler,
)

DAY = {"leader_id": "leader-zhao", "day": "2026-03-04", "place": "Street office room 1"}
PERSON = {"person": "Zhang Guilan", "matter": "Her pension stopped after the move to Dingjia."}


async def scheduled(client: httpx.AsyncClient, settings: Settings) -> str:
    answer = await client.post("/api/v1/reception-days", json=DAY, headers=clerk(settings))
    assert answer.status_code == 201, answer.text
    assert answer.json()["events"] == ["petition.reception-day.scheduled.v1"]
    day_id: str = answer.json()["id"]
    return day_id


async def received(client: httpx.AsyncClient, settings: Settings, day_id: str) -> str:
    answer = await client.post(f"/api/v1/reception-days/{day_id}/receptions", json=PERSON,
                               headers=clerk(settings))
    assert answer.status_code == 201, answer.text
    reception_id: str = answer.json()["reception_id"]
    return reception_id


async def stored_and_published(settings: Settings) -> tuple[str, list[dict[str, Any]]]:
    conn = await asyncpg.connect(settings.database_url)
    try:
        stored = await conn.fetchval("SELECT data::text FROM events WHERE type = "
                                     "'petition.reception-day.reception-recorded.v1'")
        rows = await conn.fetch("SELECT message::text FROM outbox WHERE message->>'type' = "
                                "'petition.reception-day.reception-recorded.v1'")
    finally:
        await conn.close()
    return stored, [json.loads(r[0]) for r in rows]


async def test_a_reception_day_from_schedule_to_held(client: httpx.AsyncClient,
                                                     settings: Settings) -> None:
    day_id = await scheduled(client, settings)
    reception_id = await received(client, settings, day_id)
    case_id = await register(client, settings, channel="reception-day")
    path = f"/api/v1/reception-days/{day_id}/receptions/{reception_id}/outcome"
    answer = await step(client, path, clerk(settings),
                        {"outcome": "case-registered", "case_id": case_id})
    assert answer["events"] == ["petition.reception-day.outcome-recorded.v1"]
    await refused(client, path, clerk(settings), "one-outcome-per-reception",
                  {"outcome": "answered-on-the-spot"})
    await step(client, f"/api/v1/reception-days/{day_id}/held", clerk(settings))
    await refused(client, f"/api/v1/reception-days/{day_id}/receptions", clerk(settings),
                  "reception-on-a-scheduled-day", PERSON)
    await refused(client, f"/api/v1/reception-days/{day_id}/held", clerk(settings),
                  "reception-day-held-once")

    shown = (await client.get(f"/api/v1/reception-days/{day_id}",
                              headers=reader(settings, Role.AUDITOR))).json()
    assert shown["held"] is True and shown["persons_received"] == 1
    assert shown["receptions"] == [{"reception_id": reception_id, "outcome": "case-registered",
                                    "registered_case_id": case_id, "guided_to": None,
                                    **PERSON}]
    unit_view = await client.get(f"/api/v1/reception-days/{day_id}",
                                 headers=unit_handler(settings))
    assert unit_view.status_code == 200
    assert "Zhang Guilan" not in unit_view.text and "person" not in unit_view.json()[
        "receptions"][0]


async def test_the_person_received_is_sealed_at_rest_and_never_published(
        client: httpx.AsyncClient, settings: Settings) -> None:
    await received(client, settings, await scheduled(client, settings))
    stored, published = await stored_and_published(settings)
    assert "Zhang Guilan" not in stored and "pension" not in stored and "$sealed" in stored
    [message] = published
    assert "person" not in message["data"] and "matter" not in message["data"]
    assert "Zhang Guilan" not in json.dumps(message)


async def test_an_outcome_names_a_case_of_the_district_registered_at_the_reception_day(
        client: httpx.AsyncClient, settings: Settings, app: FastAPI) -> None:
    day_id = await scheduled(client, settings)
    reception_id = await received(client, settings, day_id)
    path = f"/api/v1/reception-days/{day_id}/receptions/{reception_id}/outcome"
    visit_case = await register(client, settings)  # channel "visit"
    await refused(client, path, clerk(settings), "case-registered-at-reception-day",
                  {"outcome": "case-registered", "case_id": visit_case})
    await refused(client, path, clerk(settings), "case-registered-in-district",
                  {"outcome": "case-registered", "case_id": "case-nowhere"})
    await refused(client, path, clerk(settings), "case-registered-in-district",
                  {"outcome": "case-registered", "case_id": f"reception-day/chaoyang/{day_id}"})


async def test_bad_input_another_district_and_roles(client: httpx.AsyncClient,
                                                    settings: Settings) -> None:
    day_id = await scheduled(client, settings)
    reception_id = await received(client, settings, day_id)
    for body in ({**DAY, "day": "2026-02-30"}, {**DAY, "day": "9999-01-01"},
                 {**DAY, "place": "  "}, {**DAY, "extra": 1}):
        answer = await client.post("/api/v1/reception-days", json=body, headers=clerk(settings))
        assert answer.status_code == 422, body
    outcome = f"/api/v1/reception-days/{day_id}/receptions/{reception_id}/outcome"
    for body in ({"outcome": "case-registered"}, {"outcome": "guided"}, {"outcome": "lost"}):
        answer = await client.post(outcome, json=body, headers=clerk(settings))
        assert answer.status_code == 422, body
    elsewhere = clerk(settings, "haidian")
    assert (await client.get(f"/api/v1/reception-days/{day_id}",
                             headers=elsewhere)).status_code == 404
    assert (await client.post(f"/api/v1/reception-days/{day_id}/receptions", json=PERSON,
                              headers=elsewhere)).status_code == 404
    assert (await client.post(f"/api/v1/reception-days/{day_id}/held",
                              headers=elsewhere)).status_code == 404
    assert (await client.post("/api/v1/reception-days", json=DAY,
                              headers=reader(settings, Role.AUDITOR))).status_code == 403
    assert (await client.post("/api/v1/reception-days", json=DAY,
                              headers=unit_handler(settings))).status_code == 403


async def test_a_retried_schedule_records_one_day(client: httpx.AsyncClient,
                                                  settings: Settings) -> None:
    keyed = {**clerk(settings), "Idempotency-Key": "schedule-once"}
    first = await client.post("/api/v1/reception-days", json=DAY, headers=keyed)
    again = await client.post("/api/v1/reception-days", json=DAY, headers=keyed)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    conn = await asyncpg.connect(settings.database_url)
    try:
        count = await conn.fetchval("SELECT count(*) FROM events WHERE type = "
                                    "'petition.reception-day.scheduled.v1'")
    finally:
        await conn.close()
    assert count == 1
