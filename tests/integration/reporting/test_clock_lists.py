"""The overdue and due-soon clock lists, and their filters (clocks of open cases only)."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.domain.clock_condition import ClockCondition
from casebus.settings import Settings
from services.reporting.adapters.clock_queries import listed_clocks
from tests.integration.reporting.clock_history import seed_clock_history
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.district_backlog import GAS, NOW, URBAN, DistrictBacklog, seed
from tests.integration.service_app import auth


@pytest.fixture
async def backlog_at_now(feed: Feed, clock: SimulatedClock) -> DistrictBacklog:
    clock.advance(NOW - START)
    return await seed(feed)


async def listed(client: httpx.AsyncClient, settings: Settings, district: str,
                 **params: str | int) -> dict[str, Any]:
    answer = await client.get("/api/v1/clocks", params=params, headers=auth(
        settings, district=district, role=Role.AUDITOR, subject="auditor-qian"))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize(("params", "expected"), [
    ({"condition": "overdue"}, [("D", "register-and-forward"), ("A", "handle-and-answer")]),
    ({"condition": "due-soon"}, [("B", "notify-acceptance")]),
    ({}, [("D", "register-and-forward"), ("A", "handle-and-answer"),
          ("B", "notify-acceptance")]),
    ({"unit": GAS}, [("A", "handle-and-answer"), ("B", "notify-acceptance")]),
    ({"unit": URBAN}, []),  # C's clock runs, not yet due soon
    ({"community": "Yashiyuan"}, [("D", "register-and-forward")]),
    ({"category": "gas", "condition": "overdue"}, [("A", "handle-and-answer")]),
    ({"kind": "notify-acceptance"}, [("B", "notify-acceptance")]),
])
async def test_filters(client: httpx.AsyncClient, settings: Settings,
                       backlog_at_now: DistrictBacklog, params: dict[str, str],
                       expected: list[tuple[str, str]]) -> None:
    body = await listed(client, settings, backlog_at_now.district, **params)
    clocks = body["clocks"]
    assert [(c["case_id"], c["kind"]) for c in clocks] == [
        (backlog_at_now.id(n), kind) for n, kind in expected]
    assert body["total"] == len(expected)


async def test_a_listed_clock_shows_its_instants_condition_and_place(
        client: httpx.AsyncClient, settings: Settings, backlog_at_now: DistrictBacklog) -> None:
    body = await listed(client, settings, backlog_at_now.district, condition="overdue")
    d, a = body["clocks"]
    assert (d["condition"], d["responsible_unit"], d["community"], d["category"]) == (
        "overdue", None, "Yashiyuan", "noise")  # forwarding is the office's, not assigned
    assert d["due_at"] == "2026-03-17T09:00:00+08:00"
    assert d["warn_at"] == "2026-03-14T09:00:00+08:00"  # the default lead before due
    assert (a["responsible_unit"], a["unit_id"], a["phase"]) == (GAS, GAS, "running")


async def test_pages(client: httpx.AsyncClient, settings: Settings,
                     backlog_at_now: DistrictBacklog) -> None:
    seen = []
    for offset in range(4):
        body = await listed(client, settings, backlog_at_now.district, limit=1, offset=offset)
        assert body["total"] == 3
        seen += [c["case_id"] for c in body["clocks"]]
    assert seen == [backlog_at_now.id(n) for n in "DAB"]


@pytest.mark.parametrize("params", [{"condition": "running"}, {"kind": "lunch"},
                                    {"limit": 500}])
async def test_bad_parameters_answer_422(client: httpx.AsyncClient, settings: Settings,
                                         params: dict[str, str | int]) -> None:
    answer = await client.get("/api/v1/clocks", params=params,
                              headers=auth(settings, role=Role.LEADER, subject="leader-zhao"))
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == f"query.{next(iter(params))}"


@pytest.mark.parametrize("condition", [ClockCondition.OVERDUE, ClockCondition.DUE_SOON])
async def test_a_list_reads_the_clocks_that_need_attention_not_every_clock(
        read_models: asyncpg.Pool, condition: ClockCondition) -> None:
    """Concluded cases' clocks are stopped, and history is mostly those; most running clocks
    are far from due: the list must be answerable from the index of running clocks by when
    they need attention (seq scans are off, so the plan shows whether the query can use it
    at all)."""
    source, f = listed_clocks("chaoyang", NOW, conditions=[condition], unit=None,
                              community=None, category=None, kind=None)
    async with read_models.acquire() as conn, conn.transaction():
        await seed_clock_history(conn, NOW)
        await conn.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN SELECT count(*) {source}",
                                                        *f.args))
    assert "case_clocks_attention" in plan, plan
    assert "Index Cond: ((district = 'chaoyang'::text) AND (attention_at <=" in plan, plan
