"""Service work of "cadres into the community" days over HTTP: recorded, corrected by new
events (the first tally stays in the history), bounded, district-scoped, idempotent."""

from __future__ import annotations

import json

import asyncpg
import httpx

from casebus.access import Role
from casebus.settings import Settings
from tests.integration.intake.helpers import clerk, reader, unit_handler

WORK = {"community": "Dingjia", "day": "2026-03-07", "cadres": ["cadre-sun", "cadre-zhou"],
        "demands_resolved": 6, "persons_guided": 23,
        "notes": "Mediated the parking dispute of Mr Qian Wei."}
CORRECTION = {"cadres": ["cadre-sun"], "demands_resolved": 5, "persons_guided": 30,
              "reason": "Mr Qian Wei's demand was counted twice."}


async def recorded(client: httpx.AsyncClient, settings: Settings) -> str:
    answer = await client.post("/api/v1/service-work", json=WORK, headers=clerk(settings))
    assert answer.status_code == 201, answer.text
    work_id: str = answer.json()["id"]
    return work_id


async def test_a_correction_is_a_new_event_and_the_read_shows_the_latest(
        client: httpx.AsyncClient, settings: Settings) -> None:
    work_id = await recorded(client, settings)
    keyed = {**clerk(settings), "Idempotency-Key": "correct-once"}
    path = f"/api/v1/service-work/{work_id}/corrections"
    first = await client.post(path, json=CORRECTION, headers=keyed)
    again = await client.post(path, json=CORRECTION, headers=keyed)
    assert first.status_code == again.status_code == 200, first.text
    assert first.json()["events"] == ["petition.service-work.corrected.v1"]
    assert again.headers.get("idempotent-replayed") == "true"
    shown = (await client.get(f"/api/v1/service-work/{work_id}",
                              headers=reader(settings, Role.LEADER))).json()
    assert (shown["demands_resolved"], shown["persons_guided"], shown["revision"],
            shown["cadres"], shown["notes"]) == (5, 30, 1, ["cadre-sun"], WORK["notes"])
    conn = await asyncpg.connect(settings.database_url)
    try:
        stored = [json.loads(r[0]) for r in await conn.fetch(
            "SELECT data::text FROM events WHERE stream_id = $1 ORDER BY version",
            f"service-work/chaoyang/{work_id}")]
        published = [r[0] for r in await conn.fetch(
            "SELECT message::text FROM outbox WHERE key = $1",
            f"service-work/chaoyang/{work_id}")]
    finally:
        await conn.close()
    assert [e["demands_resolved"] for e in stored] == [6, 5]  # never overwritten
    assert "Qian Wei" not in json.dumps(stored)  # notes and reason sealed
    assert len(published) == 2 and not any("Qian Wei" in m for m in published)


async def test_bounds_roles_and_districts(client: httpx.AsyncClient,
                                          settings: Settings) -> None:
    work_id = await recorded(client, settings)
    for changes in ({"demands_resolved": -1}, {"persons_guided": 10**30},
                    {"demands_resolved": 1_000_001}, {"cadres": []}, {"day": "20260307"},
                    {"demands_resolved": "many"}):
        answer = await client.post("/api/v1/service-work", json={**WORK, **changes},
                                   headers=clerk(settings))
        assert answer.status_code == 422, changes
    elsewhere = clerk(settings, "haidian")
    assert (await client.get(f"/api/v1/service-work/{work_id}",
                             headers=elsewhere)).status_code == 404
    assert (await client.post(f"/api/v1/service-work/{work_id}/corrections", json=CORRECTION,
                              headers=elsewhere)).status_code == 404
    assert (await client.get(f"/api/v1/service-work/{work_id}",
                             headers=unit_handler(settings))).status_code == 403
    assert (await client.post("/api/v1/service-work", json=WORK,
                              headers=reader(settings, Role.AUDITOR))).status_code == 403


async def test_the_same_key_with_another_body_records_nothing_more(
        client: httpx.AsyncClient, settings: Settings) -> None:
    keyed = {**clerk(settings), "Idempotency-Key": "record-once"}
    first = await client.post("/api/v1/service-work", json=WORK, headers=keyed)
    assert first.status_code == 201
    other = await client.post("/api/v1/service-work", json={**WORK, "persons_guided": 1},
                              headers=keyed)
    assert other.status_code == 422
