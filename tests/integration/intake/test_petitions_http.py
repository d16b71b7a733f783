"""Intake's HTTP API on the real database and broker."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta

import asyncpg
import pytest

from casebus.access import Role
from tests.integration.intake.helpers import PETITION, START, apply, clerk, rules_published
from tests.integration.service_app import auth


async def test_registers_and_keeps_personal_data_off_the_wire(client, settings) -> None:
    created = await client.post("/api/v1/petitions", headers=auth(settings),
                                json={**PETITION, "location": "Dingjia building 3"})
    assert created.status_code == 201, created.text
    case_id = created.json()["case_id"]
    assert created.headers["location"] == f"/api/v1/petitions/{case_id}"

    read = await client.get(f"/api/v1/petitions/{case_id}", headers=auth(settings))
    registered = read.json()["events"][0]
    assert registered["type"] == "petition.case.registered.v2"
    assert registered["petitioners"][0]["name"] == "Li Xiuying"

    pool = await asyncpg.connect(settings.database_url)
    try:
        stored = await pool.fetchval("SELECT data::text FROM events WHERE stream_id = $1", case_id)
        published = await pool.fetchval("SELECT message::text FROM outbox")
    finally:
        await pool.close()
    # The subject and the location are free text a clerk typed: sealed and never published.
    for secret in ("Li Xiuying", "11010519491231002X", "13800138000", "no gas since",
                   "Gas supply never connected", "Dingjia building 3"):
        assert secret not in stored  # sealed at rest
        assert secret not in published  # never on a public topic
    message = json.loads(published)
    assert message["type"] == "petition.case.registered.v2"
    assert message["subject"] == case_id and message["district"] == "chaoyang"
    assert "petitioners" not in message["data"] and "description" not in message["data"]
    assert "subject" not in message["data"] and "location" not in message["data"]
    assert message["data"]["place"] is None  # no routing rule names that place
    assert read.json()["state"]["subject"] == PETITION["subject"]  # intake's readers see it
    assert message["data"]["petitioner_ids"] == created.json()["petitioner_ids"]


@pytest.mark.parametrize(("change", "field"), [
    ({"channel": "pigeon"}, "channel"),
    ({"petitioners": []}, "petitioners"),
    ({"category": ""}, "category"),
    ({"petitioners": [{"name": "Wang", "id_number": "123"}]}, "petitioners.0.id_number"),
    ({"received_at": "2026-01-01T10:00:00"}, "received_at"),
    ({"received_at": "1999-12-31T23:59:00+08:00"}, "received_at"),
    ({"received_at": "0001-01-01T00:00:00+14:00"}, "received_at"),  # was 201, then no clock
    ({"matter_kind": "gossip"}, "matter_kind"),
    ({"headcount": 0}, "headcount"),
    ({"responsible_level": "province"}, "responsible_level"),
    ({"surprise": 1}, "surprise"),
])
async def test_bad_input_gets_422_naming_the_field(client, settings, change, field) -> None:
    answer = await client.post("/api/v1/petitions", json={**PETITION, **change},
                               headers=auth(settings))
    assert answer.status_code == 422
    assert field in [p["field"] for p in answer.json()["problems"]]
    assert field in answer.json()["detail"]


async def test_malformed_json_and_missing_fields_are_422(client, settings) -> None:
    broken = await client.post("/api/v1/petitions", content=b"{nope",
                               headers={**auth(settings), "content-type": "application/json"})
    assert broken.status_code == 422
    missing = await client.post("/api/v1/petitions", json={"channel": "visit"},
                                headers=auth(settings))
    assert missing.status_code == 422
    assert "subject: Field required" in missing.json()["detail"]


async def test_idempotency_key_makes_retries_safe(client, settings) -> None:
    headers = {**auth(settings), "Idempotency-Key": "office-7-req-1"}
    answers = await asyncio.gather(*(client.post("/api/v1/petitions", json=PETITION,
                                                 headers=headers) for _ in range(8)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["case_id"] for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 7
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(DISTINCT stream_id) FROM events") == 1
    finally:
        await conn.close()
    reused = await client.post("/api/v1/petitions", json={**PETITION, "subject": "other"},
                               headers=headers)
    assert reused.status_code == 422
    assert "already used for a different request" in reused.json()["detail"]


async def test_access_is_scoped_to_district_and_role(client, settings) -> None:
    assert (await client.post("/api/v1/petitions", json=PETITION)).status_code == 401
    bad = await client.post("/api/v1/petitions", json=PETITION,
                            headers={"Authorization": "Bearer forged"})
    assert bad.status_code == 401
    operator = await client.post("/api/v1/petitions", json=PETITION,
                                 headers=auth(settings, role=Role.OPERATOR))
    assert operator.status_code == 403
    case_id = (await client.post("/api/v1/petitions", json=PETITION,
                                 headers=auth(settings))).json()["case_id"]
    other = await client.get(f"/api/v1/petitions/{case_id}",
                             headers=auth(settings, district="haidian"))
    missing = await client.get("/api/v1/petitions/20990101-nosuchcase", headers=auth(settings))
    # Another district's case answers exactly like a missing one: no hint that it exists.
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"] == f"no case {case_id}"


async def test_erasure_forgets_the_person_and_keeps_the_history(client, settings) -> None:
    created = (await client.post("/api/v1/petitions", json=PETITION, headers={
        **auth(settings), "Idempotency-Key": "first-visit"})).json()
    assert created["state"]["subject"] == PETITION["subject"]
    petitioner_id = created["petitioner_ids"][0]
    assert re.fullmatch(r"p-[0-9a-f]{20}", petitioner_id)  # random, not derived from the ID
    leader = auth(settings, role=Role.LEADER, subject="leader-zhao")
    erased = await client.post(f"/api/v1/petitioners/{petitioner_id}/erasure", headers=leader)
    assert erased.status_code == 200, erased.text
    assert erased.json() == {"petitioner_id": petitioner_id, "status": "erased",
                             "keys_erased": 2}  # theirs and their case's (nobody else on it)
    read = (await client.get(f"/api/v1/petitions/{created['case_id']}",
                             headers=auth(settings))).json()
    event = read["events"][0]
    assert event["petitioners"][0]["name"] == "[erased]"
    assert event["description"] == event["subject"] == "[erased]"
    assert event["category"] == "gas" and event["petitioner_ids"] == [petitioner_id]
    # Nobody can tie the erased history to the person again: petitioning again, they are a
    # new petitioner, recorded under a new key.
    again = (await client.post("/api/v1/petitions", json=PETITION,
                               headers=auth(settings))).json()
    assert again["petitioner_ids"] != [petitioner_id]
    reread = (await client.get(f"/api/v1/petitions/{again['case_id']}",
                               headers=auth(settings))).json()
    assert reread["events"][0]["petitioners"][0]["name"] == "Li Xiuying"
    # A retry of the registration is answered from its stored first answer: erased there too.
    retried = await client.post("/api/v1/petitions", json=PETITION,
                                headers={**auth(settings), "Idempotency-Key": "first-visit"})
    assert retried.json()["state"]["subject"] == "[erased]", retried.text
    twice = await client.post(f"/api/v1/petitioners/{petitioner_id}/erasure", headers=leader)
    assert twice.status_code == 200 and twice.json()["status"] == "already erased"
    assert (await client.post(f"/api/v1/petitioners/{petitioner_id}/erasure",
                              headers=auth(settings))).status_code == 403
    assert (await client.post("/api/v1/petitioners/p-00000000000000000000/erasure",
                              headers=leader)).status_code == 404
    conn = await asyncpg.connect(settings.database_url)
    try:
        recorded = await conn.fetch("SELECT message::text FROM outbox WHERE message->>'type' = "
                                    "'petition.petitioner.erased.v1'")
    finally:
        await conn.close()
    assert len(recorded) == 1  # once, however often it was asked
    message = json.loads(recorded[0]["message"])
    assert message["data"]["petitioner_id"] == petitioner_id
    for secret in ("Li Xiuying", "11010519491231002X", "13800138000", "Dingjia 3-2-101"):
        assert secret not in recorded[0]["message"]


async def test_erasing_one_co_petitioner_keeps_the_others(client, settings) -> None:
    joint = {**PETITION, "petitioners": [
        {"name": "Li Xiuying", "id_number": "11010519491231002X"},
        {"name": "Zhang Wei", "id_number": "110105196502030017"}]}
    created = (await client.post("/api/v1/petitions", json=joint,
                                 headers=auth(settings))).json()
    first, second = created["petitioner_ids"]
    leader = auth(settings, role=Role.LEADER, subject="leader-zhao")
    assert (await client.post(f"/api/v1/petitioners/{first}/erasure",
                              headers=leader)).json()["keys_erased"] == 1
    event = (await client.get(f"/api/v1/petitions/{created['case_id']}",
                              headers=auth(settings))).json()["events"][0]
    assert [p["name"] for p in event["petitioners"]] == ["[erased]", "Zhang Wei"]
    assert event["description"] == PETITION["description"]  # still Zhang Wei's petition
    assert (await client.post(f"/api/v1/petitioners/{second}/erasure",
                              headers=leader)).json()["keys_erased"] == 2
    event = (await client.get(f"/api/v1/petitions/{created['case_id']}",
                              headers=auth(settings))).json()["events"][0]
    assert event["description"] == "[erased]"


async def test_operators_read_dead_letters_with_their_reasons(client, settings) -> None:
    conn = await asyncpg.connect(settings.database_url)
    try:
        await conn.execute(
            "INSERT INTO dead_letters (consumer, topic, partition, kafka_offset, reason, raw, "
            "district) VALUES ('intake', 'petitions.routing.events', 2, 41, "
            "'not a valid CloudEvent', $1, 'chaoyang')", b"\xff\xfe{broken")
    finally:
        await conn.close()
    answer = await client.get("/api/v1/dead-letters", headers=auth(settings, role=Role.OPERATOR))
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 1
    letter = body["dead_letters"][0]
    assert (letter["topic"], letter["kafka_offset"]) == ("petitions.routing.events", 41)
    assert letter["reason"] == "not a valid CloudEvent" and letter["message"] is None
    auditor = await client.get("/api/v1/dead-letters", headers=auth(settings, role=Role.AUDITOR))
    assert "{broken" in auditor.json()["dead_letters"][0]["message"]
    clerk_answer = await client.get("/api/v1/dead-letters", headers=auth(settings))
    assert clerk_answer.status_code == 403
    bad = await client.get("/api/v1/dead-letters?limit=0",
                           headers=auth(settings, role=Role.OPERATOR))
    assert bad.status_code == 422


async def test_registers_the_kind_the_headcount_and_the_responsible_level(client,
                                                                         settings) -> None:
    created = await client.post("/api/v1/petitions", headers=clerk(settings), json={
        **PETITION, "matter_kind": "suggestion", "headcount": 7, "representatives": 3,
        "level": "street", "responsible_level": "community"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["matter_kind"] == "suggestion" and body["status"] == "registered"
    assert body["collective"] is True and body["skip_level"] is True
    assert body["events"] == ["petition.case.registered.v2"]
    state = body["state"]
    assert state["matter_kind"] == "suggestion" and state["petitioner_count"] == 7
    assert state["received_at"] == state["registered_at"] == START.isoformat()
    assert state["review"]["status"] == "not-available"  # a suggestion has no review


async def test_received_at_in_the_future_is_judged_by_the_service_clock(client,
                                                                        settings) -> None:
    # The service runs on a simulated clock in 2026: a time past the wall clock's is fine if
    # it is before the service's now, and a time after the service's now is refused.
    past = (START - timedelta(days=2)).isoformat()
    assert (await client.post("/api/v1/petitions", json={**PETITION, "received_at": past},
                              headers=clerk(settings))).status_code == 201
    future = (START + timedelta(minutes=1)).isoformat()
    refused = await client.post("/api/v1/petitions", json={**PETITION, "received_at": future},
                                headers=clerk(settings))
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["received_at"]
    assert "is in the future" in refused.json()["detail"]


async def test_a_district_without_routing_rules_registers_nothing(client, settings) -> None:
    unknown = "district-without-rules"
    refused = await client.post("/api/v1/petitions", json=PETITION,
                                headers=clerk(settings, district=unknown))
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["district"]
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM events WHERE district = $1",
                                   unknown) == 0
    finally:
        await conn.close()


async def test_a_domain_refusal_of_a_registration_is_409_with_its_rule(client,
                                                                        settings) -> None:
    crowd = await client.post("/api/v1/petitions", json={**PETITION, "representatives": 6,
                                                         "headcount": 40},
                              headers=clerk(settings))
    assert crowd.status_code == 409
    assert crowd.json()["rule"] == "at-most-5-representatives"


async def test_a_location_the_routing_rules_name_is_published_as_the_place(
        app, client, settings) -> None:
    await apply(app, rules_published("chaoyang", version=2, places=("Road 9",)))
    named = await client.post("/api/v1/petitions", headers=auth(settings),
                              json={**PETITION, "location": " road 9 "})
    other = await client.post("/api/v1/petitions", headers=auth(settings),
                              json={**PETITION, "location": "Dingjia 3-2-101"})
    assert named.status_code == other.status_code == 201
    conn = await asyncpg.connect(settings.database_url)
    try:
        places = {r["key"]: r["place"] for r in await conn.fetch(
            "SELECT key, message->'data'->>'place' AS place FROM outbox "
            "WHERE message->>'type' = 'petition.case.registered.v2'")}
    finally:
        await conn.close()
    # In the rules' own spelling, as routing matches it; any other location stays sealed.
    assert places == {named.json()["case_id"]: "Road 9", other.json()["case_id"]: None}
