"""The key-case ledger over HTTP on the running app: a leader's plan, progress and resolution
(409 with the rule out of order, 422 for blanks, a replay answered again), the lists and the
totals per period; another district's entry is missing, clerks read but do not write."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
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
from tests.integration.accountability.facts import deliver, fact
from tests.integration.accountability.ledger_parts import LedgerParts, registered
from tests.integration.service_app import auth, running_app

PLAN = {"plan": "Connect the gas by June; meet the owners monthly.",
        "leader_in_charge": "Deputy Director Zhao"}
BASE = "/api/v1/key-cases"


@pytest.fixture
def settings(database_url: str, broker: EmbeddedBroker) -> Settings:
    return make_settings(database_url, broker.bootstrap, service="accountability")


@pytest.fixture
async def client(settings: Settings, pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    clock = SimulatedClock(MARCH_END)
    async with running_app(build_app(settings, clock)) as c:
        parts = LedgerParts(pool, clock)
        for case in ("gas-1", "gas-2"):
            await deliver(pool, parts.handlers, registered(case, MARCH_END - timedelta(days=5)),
                          fact("flagged-as-key", case, MARCH_END - timedelta(days=2),
                               flagged_by="leader-zhao", reason="gas never connected"))
        yield c


def as_(settings: Settings, role: Role = Role.LEADER, district: str = "chaoyang"
        ) -> dict[str, str]:
    return auth(settings, district, role, "zhao") | {"Idempotency-Key": uuid4().hex}


async def test_plan_progress_and_resolution(client: httpx.AsyncClient,
                                            settings: Settings) -> None:
    early = await client.post(f"{BASE}/gas-1/resolution", json={"outcome": "done"},
                              headers=as_(settings))
    assert (early.status_code, early.json()["rule"]) == (409, "plan-before-resolution")
    assert (await client.post(f"{BASE}/gas-1/plan", json=PLAN | {"plan": "  "},
                              headers=as_(settings))).status_code == 422
    assert (await client.post(f"{BASE}/gas-1/plan", json=PLAN,
                              headers=as_(settings, Role.CLERK))).status_code == 403
    headers = as_(settings)
    planned = await client.post(f"{BASE}/gas-1/plan", json=PLAN, headers=headers)
    assert planned.status_code == 200, planned.text
    assert planned.json()["plan"]["leader_in_charge"] == "Deputy Director Zhao"
    replay = await client.post(f"{BASE}/gas-1/plan", json=PLAN, headers=headers)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == planned.json()
    noted = await client.post(f"{BASE}/gas-1/progress", json={"note": "pipes laid"},
                              headers=as_(settings))
    assert [(p["note"], p["at"]) for p in noted.json()["progress"]] == [
        ("pipes laid", "2026-03-25T12:00:00+08:00")]
    done = await client.post(f"{BASE}/gas-1/resolution", json={"outcome": "gas connected"},
                             headers=as_(settings))
    assert (done.json()["status"], done.json()["resolution"]["outcome"]) == (
        "resolved", "gas connected")
    again = await client.post(f"{BASE}/gas-1/resolution", json={"outcome": "again"},
                              headers=as_(settings))
    assert (again.status_code, again.json()["rule"]) == (409, "resolve-once")
    read = await client.get(f"{BASE}/gas-1", headers=as_(settings, Role.AUDITOR))
    assert read.json() == done.json()
    assert read.json()["reason"] == "flagged-by-leader"

    def listed(status: str) -> list[str]:
        return [e["case_id"] for e in lists[status].json()["key_cases"]]
    lists = {s: await client.get(f"{BASE}?status={s}", headers=as_(settings, Role.CLERK))
             for s in ("open", "resolved", "all")}
    assert (listed("open"), listed("resolved"), sorted(listed("all"))) == (
        ["gas-2"], ["gas-1"], ["gas-1", "gas-2"])
    totals = await client.get(f"{BASE}/totals?period=2026-Q1", headers=as_(settings))
    assert (totals.json()["entered"]["flagged-by-leader"], totals.json()["resolved"]["all"],
            totals.json()["open_at_end"]["all"]) == (2, 1, 1)
    february = await client.get(f"{BASE}/totals?period=2026-02", headers=as_(settings))
    assert february.json()["entered"]["all"] == 0


async def test_another_districts_entry_is_missing(client: httpx.AsyncClient,
                                                  settings: Settings) -> None:
    haidian = as_(settings, district="haidian")
    assert (await client.get(f"{BASE}/gas-1", headers=haidian)).status_code == 404
    assert (await client.get(f"{BASE}/no-such", headers=as_(settings))).status_code == 404
    assert (await client.post(f"{BASE}/gas-1/plan", json=PLAN,
                              headers=haidian)).status_code == 404
    assert (await client.get(f"{BASE}?status=all", headers=haidian)).json()["key_cases"] == []
    totals = await client.get(f"{BASE}/totals?period=2026", headers=haidian)
    assert totals.json()["entered"]["all"] == 0


async def test_bad_periods_and_statuses_are_refused(client: httpx.AsyncClient,
                                                    settings: Settings) -> None:
    for query in ("totals?period=2026-13", "totals?period=March", "?status=closed",
                  "?limit=0"):
        assert (await client.get(f"{BASE}/{query}".replace("/?", "?"),
                                 headers=as_(settings))).status_code == 422, query
