"""The backlog: counts per unit, community and category, aging, and the cases behind them."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.settings import Settings
from services.reporting.adapters import backlog_queries
from tests.integration.reporting.clock_history import seed_clock_history
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.district_backlog import GAS, NOW, URBAN, DistrictBacklog, seed
from tests.integration.service_app import auth


@pytest.fixture
async def backlog_at_now(feed: Feed, clock: SimulatedClock) -> DistrictBacklog:
    clock.advance(NOW - START)
    return await seed(feed)


def reader(settings: Settings, district: str, role: Role = Role.LEADER) -> dict[str, str]:
    return auth(settings, district=district, role=role, subject="reader")


async def test_counts_per_unit_community_and_category(
        client: httpx.AsyncClient, settings: Settings, backlog_at_now: DistrictBacklog) -> None:
    answer = await client.get("/api/v1/backlog", headers=reader(settings,
                                                                backlog_at_now.district))
    assert answer.status_code == 200, answer.text
    b = answer.json()
    assert b["as_of"] == "2026-05-11T09:00:00+08:00"
    assert (b["total_open"], b["due_soon"], b["overdue"], b["unassigned"]) == (5, 1, 2, 1)
    assert b["reports_open"] == 2  # G, and I reclassified: not counted like petitions
    assert b["aging"] == {"0-7": 1, "8-15": 1, "16-30": 1, "31-60": 1, ">60": 1}
    units = {u["unit_id"]: u for u in b["units"]}
    assert list(units) == [GAS, URBAN]  # most open first
    assert (units[GAS]["open"], units[GAS]["due_soon"], units[GAS]["overdue"]) == (3, 1, 1)
    assert units[GAS]["aging"] == {"0-7": 0, "8-15": 1, "16-30": 1, "31-60": 1, ">60": 0}
    assert (units[URBAN]["open"], units[URBAN]["overdue"]) == (1, 0)
    communities = {c["community"]: (c["open"], c["due_soon"], c["overdue"])
                   for c in b["communities"]}
    assert communities == {"Dingjia": (2, 1, 1), "Zhilizhuang": (1, 0, 0),
                           "Yashiyuan": (1, 0, 1), "Lakeside Garden": (1, 0, 0)}
    categories = {c["category"]: c["open"] for c in b["categories"]}
    assert categories == {"gas": 2, "parking": 1, "noise": 1, "property": 1}


@pytest.mark.parametrize(("params", "expected"), [
    ({"status": "overdue"}, ["D", "A"]),  # soonest relevant due first
    ({"status": "overdue", "unit": GAS}, ["A"]),
    ({"status": "due-soon"}, ["B"]),
    ({}, ["D", "A", "B", "C", "E"]),  # open; E's only clock is paused: no due to show
    ({"community": "Dingjia"}, ["A", "B"]),
    ({"category": "parking"}, ["C"]),
    ({"unit": URBAN, "status": "overdue"}, []),
])
async def test_cases_behind_the_counts(
        client: httpx.AsyncClient, settings: Settings, backlog_at_now: DistrictBacklog,
        params: dict[str, str], expected: list[str]) -> None:
    answer = await client.get("/api/v1/backlog/cases", params=params,
                              headers=reader(settings, backlog_at_now.district, Role.CLERK))
    assert answer.status_code == 200, answer.text
    listed = answer.json()
    assert [c["case_id"] for c in listed["cases"]] == [backlog_at_now.id(n) for n in expected]
    assert listed["total"] == len(expected)


async def test_a_listed_case_shows_its_relevant_clock(
        client: httpx.AsyncClient, settings: Settings, backlog_at_now: DistrictBacklog) -> None:
    listed = (await client.get("/api/v1/backlog/cases", params={"status": "due-soon"},
                               headers=reader(settings, backlog_at_now.district))).json()
    (b,) = listed["cases"]
    assert (b["unit_id"], b["community"], b["category"], b["urgency"]) == (
        GAS, "Dingjia", "gas", "due-soon")
    assert (b["clock_kind"], b["due_at"]) == ("notify-acceptance", "2026-05-12T09:00:00+08:00")
    assert b["registered_at"] == "2026-05-01T09:00:00+08:00"


async def test_pages_through_the_open_cases(
        client: httpx.AsyncClient, settings: Settings, backlog_at_now: DistrictBacklog) -> None:
    headers = reader(settings, backlog_at_now.district, Role.AUDITOR)
    pages = []
    for offset in (0, 2, 4, 6):
        page = (await client.get("/api/v1/backlog/cases", headers=headers,
                                 params={"limit": 2, "offset": offset})).json()
        assert (page["total"], page["limit"], page["offset"]) == (5, 2, offset)
        pages.append([c["case_id"] for c in page["cases"]])
    ids = [backlog_at_now.id(n) for n in "DABCE"]
    assert pages == [ids[0:2], ids[2:4], ids[4:], []]


async def test_a_case_concluding_leaves_the_backlog_and_unmerging_brings_it_back(
        client: httpx.AsyncClient, settings: Settings, feed: Feed,
        backlog_at_now: DistrictBacklog) -> None:
    headers = reader(settings, backlog_at_now.district)
    a, h = backlog_at_now.cases["A"], backlog_at_now.cases["H"]
    await feed(a.intake("withdrawn", NOW, reason="resolved privately"),
               h.intake("unmerged", NOW, from_case_id=a.case_id, clerk_id="clerk-wang",
                        reason="not the same matter"))
    b = (await client.get("/api/v1/backlog", headers=headers)).json()
    assert (b["total_open"], b["overdue"], b["unassigned"]) == (5, 2, 2)  # -A +H (both overdue)
    listed = (await client.get("/api/v1/backlog/cases", headers=headers)).json()
    assert backlog_at_now.id("H") in [c["case_id"] for c in listed["cases"]]
    assert backlog_at_now.id("A") not in [c["case_id"] for c in listed["cases"]]


@pytest.mark.parametrize("params", [
    {"status": "late"}, {"limit": 0}, {"limit": 201}, {"offset": -1}])
async def test_bad_list_parameters_answer_422_naming_them(
        client: httpx.AsyncClient, settings: Settings, params: dict[str, str | int]) -> None:
    answer = await client.get("/api/v1/backlog/cases", params=params,
                              headers=reader(settings, "chaoyang"))
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json()["problems"]] == [f"query.{next(iter(params))}"]


async def test_my_cases_lists_the_units_open_petitions_with_their_clocks(
        client: httpx.AsyncClient, settings: Settings, backlog_at_now: DistrictBacklog) -> None:
    handler = auth(settings, district=backlog_at_now.district, role=Role.UNIT_HANDLER,
                   subject="handler-li", unit=GAS)
    mine = (await client.get("/api/v1/my-cases", headers=handler)).json()
    # Not F (closed) nor I (a report now), though both were assigned to the gas company.
    assert [c["case_id"] for c in mine["cases"]] == [backlog_at_now.id(n) for n in "AEB"]
    assert [[k["condition"] for k in c["clocks"]] for c in mine["cases"]] == [
        ["overdue"], ["paused"], ["due-soon"]]
    b = mine["cases"][2]
    assert b["clocks"][0]["due_at"] == "2026-05-12T09:00:00+08:00"
    assert b["acceptance_due"] == "2026-05-16T11:24:00+08:00"
    page = (await client.get("/api/v1/my-cases", headers=handler,
                             params={"limit": 1, "offset": 1})).json()
    assert (page["total"], [c["case_id"] for c in page["cases"]]) == (3, [backlog_at_now.id("E")])


async def test_the_counts_read_only_the_running_clocks_of_open_cases(
        read_models: asyncpg.Pool) -> None:
    """History is concluded cases with stopped clocks: a case's urgency must be answerable
    from the index of running clocks (seq scans are off, so the plan shows whether the query
    can use it at all)."""
    async with read_models.acquire() as conn, conn.transaction():
        await seed_clock_history(conn, NOW)
        await conn.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {backlog_queries._COUNTS}",
                                                        "chaoyang", NOW))
    assert "case_clocks_running_of_case" in plan, plan
