"""Who sees which case: the office's readers any case of their district, a unit handler only
the cases their unit held, holds or assists; anything else answers like a missing case."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from casebus.access import Role
from casebus.settings import Settings
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.events import CaseEvents
from tests.integration.service_app import auth

GAS, URBAN, HOUSING, PROPERTY = "gas-company", "urban-management", "housing", "lakeside-property"


@pytest.fixture
async def case(feed: Feed) -> CaseEvents:
    """Assigned to the property company, returned, re-routed to gas with urban management
    assisting."""
    c = CaseEvents()
    await feed(c.registered(START),
               c.assigned(START + timedelta(hours=1), PROPERTY),
               c.routing("returned", START + timedelta(hours=2), unit_id=PROPERTY,
                         reason="not ours"),
               c.assigned(START + timedelta(hours=3), GAS, (URBAN,), name="rerouted"))
    return c


def handler_of(settings: Settings, unit: str, district: str = "chaoyang") -> dict[str, str]:
    return _auth(settings, Role.UNIT_HANDLER, unit=unit, district=district)


def _auth(settings: Settings, role: Role, unit: str | None = None,
          district: str = "chaoyang") -> dict[str, str]:
    return auth(settings, district=district, role=role, subject=f"{role}-x", unit=unit)


@pytest.mark.parametrize("unit", [GAS, URBAN, PROPERTY])  # holds, assists, held
async def test_units_that_hold_assist_or_held_the_case_see_it(
        client: httpx.AsyncClient, settings: Settings, case: CaseEvents, unit: str) -> None:
    answer = await client.get(f"/api/v1/cases/{case.case_id}",
                              headers=handler_of(settings, unit))
    assert answer.status_code == 200, answer.text
    assert answer.json()["unit_id"] == GAS


async def test_another_units_handler_gets_404_and_does_not_see_it_listed(
        client: httpx.AsyncClient, settings: Settings, case: CaseEvents) -> None:
    stranger = handler_of(settings, HOUSING)
    answer = await client.get(f"/api/v1/cases/{case.case_id}", headers=stranger)
    missing = await client.get("/api/v1/cases/case-nobody-knows", headers=stranger)
    assert answer.status_code == missing.status_code == 404
    assert answer.json()["detail"] == f"no case {case.case_id}"
    assert (await client.get("/api/v1/my-cases", headers=stranger)).json()["cases"] == []


async def test_my_cases_lists_the_lead_and_assisting_units_not_the_one_that_returned_it(
        client: httpx.AsyncClient, settings: Settings, case: CaseEvents) -> None:
    for unit, role in ((GAS, "lead"), (URBAN, "assisting")):
        mine = (await client.get("/api/v1/my-cases", headers=handler_of(settings, unit))).json()
        assert [(c["case_id"], c["role"]) for c in mine["cases"]] == [(case.case_id, role)]
        assert mine["total"] == 1 and mine["unit_id"] == unit
    returned = await client.get("/api/v1/my-cases", headers=handler_of(settings, PROPERTY))
    assert returned.json()["cases"] == []


async def test_another_districts_case_answers_404_like_a_missing_one(
        client: httpx.AsyncClient, settings: Settings, case: CaseEvents) -> None:
    for role in (Role.LEADER, Role.CLERK, Role.AUDITOR):
        elsewhere = _auth(settings, role, district="haidian")
        answer = await client.get(f"/api/v1/cases/{case.case_id}", headers=elsewhere)
        assert answer.status_code == 404, role
    haidian_gas = handler_of(settings, GAS, district="haidian")  # same unit name elsewhere
    assert (await client.get(f"/api/v1/cases/{case.case_id}",
                             headers=haidian_gas)).status_code == 404
    assert (await client.get("/api/v1/my-cases", headers=haidian_gas)).json()["cases"] == []
    backlog = (await client.get("/api/v1/backlog",
                                headers=_auth(settings, Role.LEADER, district="haidian"))).json()
    assert backlog["total_open"] == 0


async def test_each_list_answers_only_its_roles(client: httpx.AsyncClient,
                                                settings: Settings) -> None:
    gas = handler_of(settings, GAS)
    for path in ("/api/v1/backlog", "/api/v1/backlog/cases", "/api/v1/clocks"):
        assert (await client.get(path, headers=gas)).status_code == 403, path
        assert (await client.get(path, headers=_auth(settings, Role.OPERATOR))
                ).status_code == 403, path
        assert (await client.get(path)).status_code == 401, path
    for role in (Role.CLERK, Role.LEADER, Role.AUDITOR):
        answer = await client.get("/api/v1/my-cases", headers=_auth(settings, role))
        assert answer.status_code == 403, role
    assert (await client.get("/api/v1/cases/x", headers=_auth(settings, Role.OPERATOR))
            ).status_code == 403
