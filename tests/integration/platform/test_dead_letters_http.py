"""Operators and auditors read dead letters of their own district only; content only for
auditors of that district (it is case content)."""

from __future__ import annotations

import asyncpg

from casebus.access import Role
from casebus.embedded.broker import EmbeddedBroker
from casebus.http import create_app
from casebus.runtime import ServiceRuntime
from tests.conftest import make_settings
from tests.integration.service_app import auth, running_app

ROWS = [  # (district, raw)
    ("chaoyang", b'{"subject": "chaoyang case content"}'),
    ("haidian", b'{"subject": "haidian case content"}'),
    (None, b"\xff\xfe{broken"),
]


async def test_dead_letters_are_scoped_to_the_district_and_redacted(
        database_url: str, broker: EmbeddedBroker) -> None:
    settings = make_settings(database_url, broker.bootstrap, service="platform-test")
    runtime = ServiceRuntime(settings)
    app = create_app(settings, runtime, "test",
                     runtime.lifespan(lambda app, rt: None, with_relay=False))
    async with running_app(app) as client:
        conn = await asyncpg.connect(database_url)
        try:
            for n, (district, raw) in enumerate(ROWS):
                await conn.execute(
                    "INSERT INTO dead_letters (consumer, topic, partition, kafka_offset, reason, "
                    "raw, district, message_key) VALUES ('c', 't', 0, $1, 'why', $2, $3, $4)",
                    n, raw, district, f"k{n}")
        finally:
            await conn.close()
        operator = (await client.get("/api/v1/dead-letters",
                                     headers=auth(settings, role=Role.OPERATOR))).json()
        auditor = (await client.get("/api/v1/dead-letters",
                                    headers=auth(settings, role=Role.AUDITOR))).json()
        clerk = await client.get("/api/v1/dead-letters", headers=auth(settings))
        bad = await client.get("/api/v1/dead-letters?limit=0",
                               headers=auth(settings, role=Role.OPERATOR))
    assert operator["total"] == auditor["total"] == 2  # chaoyang's and the unattributable
    assert "haidian" not in str(operator) and "haidian" not in str(auditor)
    assert all(row["message"] is None for row in operator["dead_letters"])
    messages = {row["district"]: row["message"] for row in auditor["dead_letters"]}
    assert "chaoyang case content" in messages["chaoyang"]
    assert messages[None] is None  # no district can be told: nobody reads its bytes
    assert clerk.status_code == 403 and bad.status_code == 422
