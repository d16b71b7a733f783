"""Rates over HTTP equal what the pure domain computes from the same events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from fractions import Fraction

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.domain.case_record import Scope
from casebus.domain.measured_rate import RateKind
from casebus.domain.rates import measure
from casebus.domain.reporting_period import ReportingPeriod
from casebus.settings import Settings
from services.reporting.bootstrap import build_app
from tests.integration.reporting.events import CST
from tests.integration.reporting.street_month import (
    GAS,
    URBAN,
    ConsumerFeed,
    StreetMonth,
    fold_records,
    street_in_march,
)
from tests.integration.service_app import auth, running_app

MARCH = ReportingPeriod.month(2026, 3, CST)


@pytest.fixture
async def month(read_models: asyncpg.Pool) -> StreetMonth:
    street = street_in_march()
    await ConsumerFeed(read_models)(*street.events)
    return street


@pytest.fixture
async def app(settings: Settings, clock: SimulatedClock, month: StreetMonth
              ) -> AsyncIterator[httpx.AsyncClient]:
    configured = settings.model_copy(update={"basically_satisfied_weight": {
        "elsewhere": "0.5"}})
    async with running_app(build_app(configured, clock=clock)) as client:
        yield client


def reader(settings: Settings, district: str) -> dict[str, str]:
    return auth(settings, district=district, role=Role.AUDITOR, subject="auditor")


def expected(month: StreetMonth, scope: Scope, weight: Fraction = Fraction(9, 10)
             ) -> dict[str, tuple[str, int]]:
    records = fold_records(month.events)
    return {k.value: (str((r := measure(k, records, MARCH, scope, weight)).numerator),
                      r.denominator) for k in RateKind}


def got(group: dict[str, dict[str, dict[str, object]]]) -> dict[str, tuple[object, object]]:
    return {k: (v["numerator"], v["denominator"]) for k, v in group["rates"].items()}


async def test_rates_per_unit_equal_the_domain(app: httpx.AsyncClient, settings: Settings,
                                                month: StreetMonth) -> None:
    answer = await app.get("/api/v1/rates", params={"period": "2026-03", "by": "unit"},
                           headers=reader(settings, month.district))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["period"] == {"name": "2026-03", "start": "2026-03-01T00:00:00+08:00",
                              "end": "2026-04-01T00:00:00+08:00"}
    groups = {g["key"]: g for g in body["groups"]}
    assert list(groups) == [GAS, URBAN]
    for unit in (GAS, URBAN):
        assert got(groups[unit]) == expected(month, Scope(district=month.district, unit_id=unit))
    gas, urban = groups[GAS]["rates"], groups[URBAN]["rates"]
    assert gas["timely-acceptance"]["decimal"] == "1.0000"
    assert gas["repeat"]["value"] == "1/3"  # of A, C, D: the report (E) is not counted
    assert urban["timely-acceptance"] == {"numerator": "0", "denominator": 1,
                                          "applicable": True, "value": "0", "decimal": "0.0000"}
    assert gas["unit-satisfaction"]["value"] == "1/2"  # satisfied + not satisfied
    assert urban["unit-satisfaction"]["value"] == "9/10"  # basically satisfied, 0.9
    assert gas["first-visit-resolution"]["value"] == "1/3"  # a review and a repeat
    assert gas["evaluation-participation"]["value"] == "2/3"
    assert urban["office-satisfaction"]["decimal"] == "1.0000"
    assert gas["office-satisfaction"] == {"numerator": "9/10", "denominator": 1,
                                          "applicable": True, "value": "9/10",
                                          "decimal": "0.9000"}


async def test_an_empty_denominator_is_not_applicable(
        app: httpx.AsyncClient, settings: Settings, month: StreetMonth) -> None:
    answer = await app.get("/api/v1/rates", params={"period": "2026-02", "by": "unit"},
                           headers=reader(settings, month.district))
    for group in answer.json()["groups"]:
        assert {r["applicable"] for r in group["rates"].values()} == {False}
        assert {r["value"] for r in group["rates"].values()} == {None}


@pytest.mark.parametrize(("by", "keys"), [("community", ["Dingjia", "Zhilizhuang"]),
                                           ("category", ["gas", "parking"]),
                                           ("district", None)])
async def test_rates_per_community_category_and_district(
        app: httpx.AsyncClient, settings: Settings, month: StreetMonth, by: str,
        keys: list[str] | None) -> None:
    for period in ("2026-03", "2026-Q1", "2026"):
        answer = await app.get("/api/v1/rates", params={"period": period, "by": by},
                               headers=reader(settings, month.district))
        assert answer.status_code == 200, answer.text
        groups = {g["key"]: g for g in answer.json()["groups"]}
        assert list(groups) == (keys or [month.district])
        for key, group in groups.items():
            if by == "category":
                records = [r for r in fold_records(month.events) if r.category == key]
                want = {k.value: (str((r := measure(k, records, MARCH,
                                                    Scope(district=month.district))
                                       ).numerator), r.denominator) for k in RateKind}
            else:
                want = expected(month, Scope(district=month.district,
                                             **({"community": key} if by == "community" else {})))
            assert got(group) == want  # March is the only month with cases in Q1 and 2026


async def test_configured_weight_of_basically_satisfied(
        settings: Settings, clock: SimulatedClock, month: StreetMonth) -> None:
    configured = settings.model_copy(update={"basically_satisfied_weight": {
        month.district: "0.8"}})
    async with running_app(build_app(configured, clock=clock)) as client:
        answer = await client.get("/api/v1/rates", params={"period": "2026-03"},
                                  headers=reader(settings, month.district))
    body = answer.json()
    assert body["basically_satisfied_weight"] == "4/5"
    urban = next(g for g in body["groups"] if g["key"] == URBAN)
    assert urban["rates"]["unit-satisfaction"]["value"] == "4/5"
    assert got(urban) == expected(month, Scope(district=month.district, unit_id=URBAN),
                                  Fraction(4, 5))


async def test_another_district_sees_nothing_and_paging(
        app: httpx.AsyncClient, settings: Settings, month: StreetMonth) -> None:
    other = await app.get("/api/v1/rates", params={"period": "2026-03"},
                          headers=reader(settings, "elsewhere"))
    assert (other.status_code, other.json()["groups"], other.json()["total"]) == (200, [], 0)
    page = await app.get("/api/v1/rates", params={"period": "2026-03", "limit": 1,
                                                  "offset": 1},
                         headers=reader(settings, month.district))
    assert page.json()["total"] == 2
    assert [g["key"] for g in page.json()["groups"]] == [URBAN]


@pytest.mark.parametrize("params", [
    {"period": "2026-13"}, {"period": "2026-Q5"}, {"period": "26"}, {"period": "1999"},
    {"period": "2026-03", "by": "street"}, {"period": "2026-03", "limit": 0},
    {"period": "2026-03-01"}, {}])
async def test_bad_periods_are_refused(app: httpx.AsyncClient, settings: Settings,
                                       month: StreetMonth, params: dict[str, str | int]) -> None:
    answer = await app.get("/api/v1/rates", params=params,
                           headers=reader(settings, month.district))
    assert answer.status_code == 422, answer.text


async def test_a_units_trend_month_by_month(app: httpx.AsyncClient, settings: Settings,
                                            month: StreetMonth) -> None:
    answer = await app.get("/api/v1/rates/trend",
                           params={"months": 3, "unit": GAS, "until": "2026-04"},
                           headers=reader(settings, month.district))
    assert answer.status_code == 200, answer.text
    months = answer.json()["months"]
    assert [m["period"]["name"] for m in months] == ["2026-02", "2026-03", "2026-04"]
    march = months[1]["rates"]
    assert {k: (v["numerator"], v["denominator"]) for k, v in march.items()} == expected(
        month, Scope(district=month.district, unit_id=GAS))
    assert months[0]["rates"]["repeat"]["applicable"] is False
    both = await app.get("/api/v1/rates/trend", params={"unit": GAS, "category": "gas"},
                         headers=reader(settings, month.district))
    assert both.status_code == 422
