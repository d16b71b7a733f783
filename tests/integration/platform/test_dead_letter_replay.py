"""A dead letter re-driven over HTTP through the consumer's own handler: refused with the error
while the handler still fails (and the attempt recorded), then applied exactly once, however
often it is replayed and even when the original message arrives again."""

from __future__ import annotations

import asyncpg

from casebus.access import Role
from casebus.consumer import InboxConsumer
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from casebus.http import create_app
from casebus.runtime import ServiceRuntime
from tests.conftest import eventually, make_settings
from tests.integration.platform.kafka_tools import (
    APPLIED_DDL,
    cloud_event,
    count_applied,
    fresh_topic,
    produce,
)
from tests.integration.service_app import auth, running_app


async def test_a_replay_applies_once_and_is_recorded(database_url: str,
                                                     broker: EmbeddedBroker) -> None:
    topic = await fresh_topic(broker.bootstrap, partitions=1)
    broken = {"yes": True}

    async def until_fixed(conn: asyncpg.Connection, event: CloudEvent) -> None:
        if broken["yes"]:
            raise RuntimeError("the projection's table is missing a column")
        await count_applied(conn, event)

    settings = make_settings(database_url, broker.bootstrap, service="replay-test",
                             consumer_max_attempts=2)
    runtime = ServiceRuntime(settings, extra_ddl=(APPLIED_DDL,))

    def wire(app: object, rt: ServiceRuntime) -> None:
        pool, _ = rt.database
        rt.consumers.append(InboxConsumer("replay-test", [topic],
                                          {"test.counted.v1": until_fixed}, pool, settings))

    app = create_app(settings, runtime, "test", runtime.lifespan(wire, with_relay=False))
    event = cloud_event(7, case_id="case-r")  # district d1
    operator = auth(settings, district="d1", role=Role.OPERATOR, subject="op-li")
    async with running_app(app) as client:
        pool, _ = runtime.database
        await produce(broker.bootstrap, topic, [("case-r", event.to_bytes())])
        row = await eventually(lambda: pool.fetchrow(
            "SELECT id FROM dead_letters WHERE event_id = $1", event.id))
        url = f"/api/v1/dead-letters/{row['id']}/replay"

        still = await client.post(url, headers=operator)
        assert still.status_code == 409 and "missing a column" in still.json()["error"]
        elsewhere = await client.post(url, headers=auth(settings, district="d2",
                                                        role=Role.OPERATOR))
        auditor = await client.post(url, headers=auth(settings, district="d1",
                                                      role=Role.AUDITOR))
        assert elsewhere.status_code == 404 and auditor.status_code == 403

        broken["yes"] = False
        first = await client.post(url, headers=operator)
        second = await client.post(url, headers=operator)
        assert first.status_code == second.status_code == 200
        assert first.json()["outcome"] == "applied" and not first.json()["already_replayed"]
        assert second.json()["already_replayed"] and \
            second.json()["replayed_at"] == first.json()["replayed_at"]

        # The original arrives again, then a fresh event behind it on the same partition.
        later = cloud_event(8, case_id="case-r")
        await produce(broker.bootstrap, topic, [("case-r", event.to_bytes()),
                                                ("case-r", later.to_bytes())])
        await eventually(lambda: pool.fetchval("SELECT count(*) = 2 FROM applied"))
        assert await pool.fetchval("SELECT count(*) FROM applied WHERE event_id = $1",
                                   event.id) == 1

        shown = (await client.get(f"/api/v1/dead-letters/{row['id']}", headers=operator)).json()
        pending = (await client.get("/api/v1/dead-letters?state=pending",
                                    headers=operator)).json()
    assert [(a["outcome"], a["replayed_by"]) for a in shown["replays"]] == [
        ("failed", "operator:op-li"), ("applied", "operator:op-li")]
    assert shown["message"] is None and shown["replay_outcome"] == "applied"
    assert pending["total"] == 0
