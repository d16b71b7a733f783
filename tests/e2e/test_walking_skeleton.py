"""One petition flows through all four services, each its own process, on the real stack."""

from __future__ import annotations

import asyncio
import itertools
import signal

import httpx
import pytest

from casebus.access import Role, mint_token
from casebus.settings import Settings
from infra.system import EmbeddedSystem
from tests.conftest import eventually

pytestmark = pytest.mark.e2e

SECRET = Settings().token_secret
CLERK = {"Authorization": "Bearer " + mint_token(SECRET, subject="clerk-wang",
                                                 district="chaoyang", role=Role.CLERK)}
LEADER = {"Authorization": "Bearer " + mint_token(SECRET, subject="leader-zhao",
                                                  district="chaoyang", role=Role.LEADER)}
OTHER_DISTRICT = {"Authorization": "Bearer " + mint_token(SECRET, subject="leader-sun",
                                                          district="haidian", role=Role.LEADER)}

# (category, community) -> the unit chaoyang's routing rules must choose
EXPECTED = [
    (("gas", "Dingjia"), "gas-company"),
    (("property", "Lakeside Garden"), "lakeside-property"),
    (("property", "Yashiyuan"), "housing-construction"),
    (("parking", "Zhilizhuang"), "urban-management"),
    (("noise", "Yashiyuan"), "beiyuan-petition-office"),  # no rule: the fallback unit
]


_posted = itertools.count()


def petition(category: str, community: str, n: int) -> dict[str, object]:
    # A new person each time: the same person on the same matter would be a repeat petition.
    person = next(_posted)
    return {"channel": "visit", "category": category, "community": community,
            "subject": f"{category} in {community} #{n}", "description": "details",
            "petitioners": [{"name": f"Petitioner {person}", "phone": f"1380000{person:04d}"}]}


async def post_petitions(system: EmbeddedSystem, count_each: int) -> dict[str, str]:
    """Returns case id -> expected unit."""
    expected: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=system.services["intake"].url, headers=CLERK) as http:
        for n in range(count_each):
            for (category, community), unit in EXPECTED:
                answer = await http.post("/api/v1/petitions",
                                         json=petition(category, community, n))
                assert answer.status_code == 201, answer.text
                expected[answer.json()["case_id"]] = unit
    return expected


async def backlog(system: EmbeddedSystem) -> dict[str, object]:
    async with httpx.AsyncClient(base_url=system.services["reporting"].url) as http:
        answer = await http.get("/api/v1/backlog", headers=LEADER)
        assert answer.status_code == 200
        result: dict[str, object] = answer.json()
        return result


async def test_petitions_reach_the_backlog_assigned_to_the_right_units(
        system: EmbeddedSystem) -> None:
    expected = await post_petitions(system, count_each=3)
    reporting = httpx.AsyncClient(base_url=system.services["reporting"].url, headers=LEADER)
    async with reporting:
        async def all_assigned() -> bool:
            for case_id, unit in expected.items():
                answer = await reporting.get(f"/api/v1/cases/{case_id}")
                if answer.status_code != 200 or answer.json()["unit_id"] is None:
                    return False
                assert answer.json()["unit_id"] == unit, case_id
            return True

        await eventually(all_assigned, timeout=60)
        case_id = next(iter(expected))
        case = (await reporting.get(f"/api/v1/cases/{case_id}")).json()
        types = [e["type"] for e in case["events"] if e["type"].startswith("petition.case.")]
        assert types == ["petition.case.registered.v2", "petition.case.assigned.v1"]
        await eventually(lambda: _has_clock_events(reporting, case_id), timeout=30)
        assert all("Petitioner" not in str(e["data"]) for e in case["events"])  # no personal data

        forbidden = await reporting.get(f"/api/v1/cases/{case_id}", headers=OTHER_DISTRICT)
        assert forbidden.status_code == 404

    units = {u["unit_id"]: u["open"] for u in (await backlog(system))["units"]}  # type: ignore[attr-defined, index]
    for unit in {u for _, u in EXPECTED}:
        assert units[unit] >= 3 * sum(1 for _, x in EXPECTED if x == unit)


async def _has_clock_events(reporting: httpx.AsyncClient, case_id: str) -> bool:
    case = (await reporting.get(f"/api/v1/cases/{case_id}")).json()
    kinds = {e["type"] for e in case["events"]}
    return {"petition.clock.started.v1", "petition.clock.stopped.v1"} <= kinds


async def test_routing_killed_mid_stream_assigns_every_case_exactly_once(
        system: EmbeddedSystem) -> None:
    routing = system.services["routing"]
    routing.kill(signal.SIGKILL)
    expected = await post_petitions(system, count_each=4)  # piles up while routing is dead
    routing.start()
    routing.wait_ready()
    routing.kill(signal.SIGKILL)  # again, in the middle of catching up
    routing.start()
    routing.wait_ready()
    async with httpx.AsyncClient(base_url=system.services["reporting"].url,
                                 headers=LEADER) as reporting:
        async def assigned_once() -> bool:
            for case_id, unit in expected.items():
                case = (await reporting.get(f"/api/v1/cases/{case_id}")).json()
                assigned = [e for e in case.get("events", [])
                            if e["type"] == "petition.case.assigned.v1"]
                if not assigned:
                    return False
                assert len(assigned) == 1, f"{case_id} assigned {len(assigned)} times"
                assert case["unit_id"] == unit
            return True

        await eventually(assigned_once, timeout=90)


async def test_broker_restarted_empty_every_read_model_converges_without_duplicates(
        system: EmbeddedSystem) -> None:
    before = await post_petitions(system, count_each=2)
    async with httpx.AsyncClient(base_url=system.services["reporting"].url,
                                 headers=LEADER) as reporting:
        await eventually(lambda: _all_complete(reporting, before), timeout=60)
        assert system.broker is not None
        system.broker.restart()  # the embedded broker comes back with nothing
        after = await post_petitions(system, count_each=2)
        everything = {**before, **after}
        # Reporting reads each service's topic on its own, so a case's events arrive in any
        # order across topics: wait for all of them, then check that none came twice.
        await eventually(lambda: _all_complete(reporting, everything), timeout=120)
        await asyncio.sleep(2)
        for case_id in everything:
            case = (await reporting.get(f"/api/v1/cases/{case_id}")).json()
            assert sorted(e["type"] for e in case["events"]) == CASE_EVENTS, case_id
            assert case["unit_id"] == everything[case_id]
    async with httpx.AsyncClient(base_url=system.services["accountability"].url,
                                 headers=LEADER) as accountability:
        clocks = (await accountability.get(f"/api/v1/cases/{next(iter(after))}/clocks")).json()
        assert {c["kind"]: c["phase"] for c in clocks["clocks"]} == {
            "register-and-forward": "stopped", "notify-acceptance": "running"}


# Registered, assigned; the forwarding and acceptance clocks started, forwarding stopped.
CASE_EVENTS = sorted(["petition.case.registered.v2", "petition.case.assigned.v1",
                      "petition.clock.started.v1", "petition.clock.started.v1",
                      "petition.clock.stopped.v1"])


async def _all_complete(reporting: httpx.AsyncClient, cases: dict[str, str]) -> bool:
    for case_id in cases:
        answer = await reporting.get(f"/api/v1/cases/{case_id}")
        if answer.status_code != 200:
            return False
        if len(answer.json()["events"]) < len(CASE_EVENTS):
            return False
    return True
