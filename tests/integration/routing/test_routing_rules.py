"""Routing rules as events: published at start when the file is newer, read from the event
store, replaced by a leader's new version; new cases use the newest, earlier ones keep theirs."""

from __future__ import annotations

import asyncio
import copy
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import asyncpg
import yaml

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.domain.events import EventRegistry
from casebus.repository import EventSourcedRepository
from casebus.settings import Settings
from casebus.store import EventStore
from casebus.topics import events_topic
from services.routing.adapters.published_rules import PublishedRulesBook
from services.routing.adapters.rule_files import DEFAULT_RULES_DIR, load_rule_documents
from services.routing.bootstrap import RoutingSettings, build_app
from services.routing.domain.events import ROUTING_EVENTS
from services.routing.service_layer.rules_publishing import RulesPublishing
from tests.integration.service_app import auth, running_app

from .conftest import T0, clerk, leader, new_case, unit

CHAOYANG: dict[str, Any] = yaml.safe_load((DEFAULT_RULES_DIR / "chaoyang.yaml").read_text())


def version_2() -> dict[str, Any]:
    """Gas in Dingjia now goes to the community committee alone."""
    doc = copy.deepcopy(CHAOYANG)
    doc["version"] = 2
    for rule in doc["rules"]:
        if rule["id"] == "gas-dingjia":
            rule.update(lead_unit="dingjia-committee", assisting_units=[])
    return doc


async def published(settings: Settings, district: str = "chaoyang") -> list[int]:
    conn = await asyncpg.connect(settings.database_url)
    try:
        rows = await conn.fetch(
            "SELECT (data->>'rules_version')::int AS v FROM events WHERE stream_id = $1 "
            "ORDER BY version", f"routing-rules:{district}")
        return [r["v"] for r in rows]
    finally:
        await conn.close()


async def test_the_current_document_is_read_by_every_case_role(client, settings) -> None:
    for headers in (unit(settings, "gas-company"), clerk(settings),
                    auth(settings, role=Role.AUDITOR, subject="li")):
        answer = await client.get("/api/v1/routing-rules", headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["rules_version"] == 1
        assert answer.json()["document"]["fallback_unit"] == "beiyuan-petition-office"
    nowhere = await client.get("/api/v1/routing-rules",
                               headers=clerk(settings, district="tongzhou"))
    assert nowhere.status_code == 404
    operator = auth(settings, role=Role.OPERATOR, subject="ops")
    assert (await client.get("/api/v1/routing-rules", headers=operator)).status_code == 403


async def test_a_new_version_routes_new_cases_and_earlier_ones_keep_theirs(
        app, client, settings) -> None:
    before = await new_case(app)
    headers = {**leader(settings), "Idempotency-Key": "rules-v2"}
    answer = await client.post("/api/v1/routing-rules", json=version_2(), headers=headers)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["district"], answer.json()["rules_version"]) == ("chaoyang", 2)
    replay = await client.post("/api/v1/routing-rules", json=version_2(), headers=headers)
    assert replay.headers.get("idempotent-replayed") == "true"
    assert await published(settings) == [1, 2]
    current = await client.get("/api/v1/routing-rules", headers=clerk(settings))
    assert current.json()["rules_version"] == 2

    after = await new_case(app)
    new = (await client.get(f"/api/v1/assignments/{after}", headers=clerk(settings))).json()
    assert (new["state"]["lead_unit"], new["state"]["rules_version"]) == (
        "dingjia-committee", 2)
    old = (await client.get(f"/api/v1/assignments/{before}", headers=clerk(settings))).json()
    assert (old["state"]["lead_unit"], old["state"]["rules_version"]) == ("gas-company", 1)
    assert old["state"]["explanation"] == (
        "rule gas-dingjia: category=gas matched, community=Dingjia matched, location=* (any); "
        "chosen over rule gas-any because more specific (2 named fields > 1)")

    conn = await asyncpg.connect(settings.database_url)
    try:
        outbox = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE topic = 'petitions.routing.events' "
            "AND message->>'type' = 'petition.routing-rules.published.v1' "
            "AND message->'data'->>'rules_version' = '2'")
    finally:
        await conn.close()
    assert outbox == 1


async def test_refused_documents_name_the_rule_and_malformed_bodies_are_422(
        client, settings) -> None:
    url = "/api/v1/routing-rules"
    same = await client.post(url, json=CHAOYANG, headers=leader(settings))
    assert (same.status_code, same.json()["rule"]) == (409, "routing-rules-version-newer")
    broken = {**version_2(), "fallback_unit": "nobody"}
    invalid = await client.post(url, json=broken, headers=leader(settings))
    assert (invalid.status_code, invalid.json()["rule"]) == (409, "routing-rules-valid")
    assert "fallback_unit" in invalid.json()["detail"] and "nobody" in invalid.json()["detail"]
    other = await client.post(url, json={**version_2(), "district": "haidian"},
                              headers=leader(settings))
    assert (other.status_code, other.json()["rule"]) == (409, "routing-rules-of-own-district")
    for malformed in ([version_2()], "version 2"):
        answer = await client.post(url, json=malformed, headers=leader(settings))
        assert answer.status_code == 422, malformed
    not_json = await client.post(url, content=b"{version: 2", headers={
        **leader(settings), "content-type": "application/json"})
    assert not_json.status_code == 422
    assert (await client.post(url, json=version_2(), headers=clerk(settings))).status_code == 403
    assert await published(settings) == [1]


async def test_instances_starting_together_publish_each_file_once(settings) -> None:
    apps = [build_app(settings, clock=SimulatedClock(T0)) for _ in range(2)]
    async with AsyncExitStack() as stack:
        await asyncio.gather(*(stack.enter_async_context(running_app(a)) for a in apps))
    assert await published(settings, "chaoyang") == [1]
    assert await published(settings, "haidian") == [1]


async def test_a_newer_file_is_published_at_start_and_an_older_one_is_not(
        settings, tmp_path: Path) -> None:
    async with running_app(build_app(settings, clock=SimulatedClock(T0))):
        pass
    (tmp_path / "chaoyang.yaml").write_text(yaml.safe_dump(version_2()))
    newer = RoutingSettings(**settings.model_dump(), routing_rules_dir=tmp_path)
    async with running_app(build_app(newer, clock=SimulatedClock(T0))) as client:
        current = await client.get("/api/v1/routing-rules", headers=clerk(settings))
        assert current.json()["rules_version"] == 2
    async with running_app(build_app(settings, clock=SimulatedClock(T0))) as client:
        current = await client.get("/api/v1/routing-rules", headers=clerk(settings))
        assert current.json()["rules_version"] == 2  # the version-1 file changes nothing
    assert await published(settings, "chaoyang") == [1, 2]


async def test_concurrent_publishers_of_the_same_file_publish_it_once(pool) -> None:
    documents = load_rule_documents(DEFAULT_RULES_DIR)

    def publisher() -> RulesPublishing:
        repository = EventSourcedRepository(EventStore(pool), EventRegistry(*ROUTING_EVENTS),
                                            source="routing", topic=events_topic("routing"))
        return RulesPublishing(repository, PublishedRulesBook(repository))

    await asyncio.gather(*(publisher().publish_files(documents, T0) for _ in range(4)))
    versions = await pool.fetch("SELECT stream_id, count(*) AS n FROM events GROUP BY stream_id")
    assert {r["stream_id"]: r["n"] for r in versions} == {
        "routing-rules:chaoyang": 1, "routing-rules:haidian": 1}
