"""Exports opened as a spreadsheet program would (csv with its BOM, openpyxl) and checked cell by
cell, scoped like the JSON API, refusing bad parameters by name."""

from __future__ import annotations

import csv
import io
from typing import Any

import asyncpg
import httpx
import pytest
from openpyxl import load_workbook

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.settings import Settings
from casebus.store import migrate
from services.reporting.adapters.accountability_schema import DDL
from services.reporting.service_layer import exports
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.district_backlog import GAS, NOW, URBAN, DistrictBacklog, seed
from tests.integration.reporting.events import local
from tests.integration.reporting.test_accountability_views import Accountability
from tests.integration.service_app import auth

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def accountability_feed(feed: Feed, read_models: asyncpg.Pool) -> Feed:
    await migrate(read_models, DDL)
    return feed


@pytest.fixture
async def district(accountability_feed: Feed, clock: SimulatedClock) -> DistrictBacklog:
    clock.advance(NOW - START)
    return await seed(accountability_feed)


def office(settings: Settings, district: str, role: Role = Role.LEADER) -> dict[str, str]:
    return auth(settings, district=district, role=role, subject="leader-zhao")


async def export(client: httpx.AsyncClient, headers: dict[str, str], name: str,
                 **params: str) -> httpx.Response:
    answer = await client.get(f"/api/v1/exports/{name}", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer


def csv_rows(answer: httpx.Response) -> list[list[str]]:
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def sheet_of(answer: httpx.Response) -> Any:
    assert answer.headers["content-type"] == XLSX
    return load_workbook(io.BytesIO(answer.content)).active


def values(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_backlog_as_csv_with_chinese_headers(
        client: httpx.AsyncClient, settings: Settings, district: DistrictBacklog) -> None:
    answer = await export(client, office(settings, district.district), "backlog.csv")
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="backlog-{district.district}-2026-05-11.csv"')
    assert answer.headers["x-export-truncated"] == "false"
    rows = csv_rows(answer)
    assert rows[0] == ["案件编号", "责任单位", "社区", "类别", "登记时间", "状态", "最紧迫时限",
                       "到期时间"]
    d, a, b, c, e = (district.id(n) for n in "DABCE")
    assert rows[1:] == [
        [d, "", "Yashiyuan", "noise", "2026-03-02T09:00:00+08:00", "超期", "登记转送",
         "2026-03-17T09:00:00+08:00"],
        [a, GAS, "Dingjia", "gas", "2026-04-01T09:00:00+08:00", "超期", "办理答复",
         "2026-05-10T09:00:00+08:00"],
        [b, GAS, "Dingjia", "gas", "2026-05-01T09:00:00+08:00", "临期", "告知受理",
         "2026-05-12T09:00:00+08:00"],
        [c, URBAN, "Zhilizhuang", "parking", "2026-05-08T09:00:00+08:00", "在办", "告知受理",
         "2026-05-21T09:00:00+08:00"],
        [e, GAS, "Lakeside Garden", "property", "2026-04-21T09:00:00+08:00", "在办", "", ""]]


async def test_the_overdue_list_as_xlsx_in_english(
        client: httpx.AsyncClient, settings: Settings, district: DistrictBacklog) -> None:
    answer = await export(client, office(settings, district.district, Role.AUDITOR),
                          "overdue.xlsx", lang="en", category="gas")
    assert answer.headers["content-disposition"].endswith('-2026-05-11.xlsx"')
    sheet = sheet_of(answer)
    assert sheet.title == "Overdue"
    assert values(sheet) == [
        ["Case", "Clock", "Responsible unit", "Community", "Category", "Started", "Due",
         "Days overdue", "Phase"],
        [district.id("A"), "handle-and-answer", GAS, "Dingjia", "gas",
         "2026-04-02T09:00:00+08:00", "2026-05-10T09:00:00+08:00", 1, "running"]]
    assert all(c.font.b for c in sheet[1]) and not sheet["A2"].font.b  # the header is bold
    assert sheet.freeze_panes == "A2"  # and stays in view
    assert sheet["H2"].data_type == "n"  # a number, not text
    assert sheet.column_dimensions["A"].width == len(district.id("A")) + 2  # fits the ids


async def test_rates_are_the_json_apis_rates(
        client: httpx.AsyncClient, settings: Settings, district: DistrictBacklog) -> None:
    headers = office(settings, district.district)
    json_rates = (await client.get("/api/v1/rates", headers=headers,
                                   params={"period": "2026", "by": "community"})).json()
    sheet = sheet_of(await export(client, headers, "rates.xlsx", period="2026",
                                  community="Dingjia"))
    header, *rows = values(sheet)
    assert header[:3] == ["社区", "及时受理率", "按期办结率"] and len(header) == 10
    (dingjia,) = [g for g in json_rates["groups"] if g["key"] == "Dingjia"]
    expected = [None if r["decimal"] is None else float(r["decimal"])
                for r in dingjia["rates"].values()]
    assert rows == [["Dingjia", *expected]]
    assert any(v is not None for v in expected)  # the comparison compares something


async def test_the_ranking_is_the_frozen_one(
        client: httpx.AsyncClient, settings: Settings, district: DistrictBacklog) -> None:
    headers = office(settings, district.district)
    missing = await client.get("/api/v1/exports/rankings.csv", headers=headers,
                               params={"period": "2026-05"})
    assert missing.status_code == 404
    published = await client.post("/api/v1/rankings", json={"month": "2026-05"},
                                  headers=headers | {"Idempotency-Key": "rank-2026-05"})
    assert published.status_code == 201, published.text
    entries = published.json()["entries"]
    rows = csv_rows(await export(client, headers, "rankings.csv", period="2026-05", lang="en"))
    assert rows[0][:4] == ["Position", "Unit", "Score", "Timely acceptance"]
    assert [r[:3] for r in rows[1:]] == [
        ["" if e["position"] is None else str(e["position"]), e["key"],
         (e["score"] or {}).get("decimal") or ""]
        for e in entries]
    assert len(rows) - 1 == len(entries) >= 2


async def test_breaches_and_the_ledger(client: httpx.AsyncClient, settings: Settings,
                                       district: DistrictBacklog,
                                       accountability_feed: Feed) -> None:
    acc = Accountability(district.district)
    _, events = acc.breach(local(2026, 4, 2, 10), case_ids=("A-1", "B-2"))
    a = district.id("A")
    await accountability_feed(*events, acc.entered(a, local(2026, 4, 1, 9)),
                              acc.plan(a, local(2026, 4, 2, 9), "=HYPERLINK(\"x\")", "leader-zhao"))
    headers = office(settings, district.district)
    breaches = values(sheet_of(await export(client, headers, "breaches.xlsx",
                                            period="2026-Q1", unit=GAS)))
    assert breaches[0][:5] == ["问责审查编号", "责任书编号", "责任单位", "考核期", "目标"]
    assert breaches[1][1:] == [f"letter-{GAS}-2026", GAS, "2026-03", "比率不低于", "及时受理率",
                               "90", "85.5", 2, "A-1; B-2", "2026-04-02T10:00:00+08:00",
                               "审查中"]
    ledger = csv_rows(await export(client, headers, "key-cases.csv", community="Dingjia"))
    assert ledger[1] == [a, GAS, "Dingjia", "gas", "长期未结", "2026-04-01T09:00:00+08:00", "40",
                         "leader-zhao", "'=HYPERLINK(\"x\")", "0", "", ""]  # no formula
    sheet = sheet_of(await export(client, headers, "key-cases.xlsx"))
    assert (sheet["I2"].value, sheet["I2"].data_type) == ("=HYPERLINK(\"x\")", "s")


async def test_another_districts_exports_hold_none_of_it(
        client: httpx.AsyncClient, settings: Settings, district: DistrictBacklog) -> None:
    headers = office(settings, "elsewhere")
    for name in ("backlog.csv", "overdue.csv", "breaches.csv", "key-cases.csv"):
        assert len(csv_rows(await export(client, headers, name))) == 1  # the header only
    ranking = await client.get("/api/v1/exports/rankings.xlsx", headers=headers)
    assert ranking.status_code == 404


async def test_a_unit_handler_exports_only_its_units_lists(
        client: httpx.AsyncClient, settings: Settings, district: DistrictBacklog) -> None:
    handler = auth(settings, district=district.district, role=Role.UNIT_HANDLER,
                   subject="handler-li", unit=URBAN)
    rows = csv_rows(await export(client, handler, "backlog.csv"))
    assert [r[0] for r in rows[1:]] == [district.id("C")]
    for name, params in (("backlog.csv", {"unit": GAS}), ("overdue.xlsx", {"unit": GAS}),
                         ("rates.csv", {}), ("breaches.csv", {}), ("key-cases.xlsx", {})):
        refused = await client.get(f"/api/v1/exports/{name}", params=params, headers=handler)
        assert refused.status_code == 403, name
    operator = auth(settings, district=district.district, role=Role.OPERATOR, subject="ops")
    assert (await client.get("/api/v1/exports/backlog.csv", headers=operator)).status_code == 403


@pytest.mark.parametrize(("name", "params", "field"), [
    ("budget.csv", {}, "path.report"), ("backlog.pdf", {}, "path.file_format"),
    ("rates.csv", {"period": "2026-13"}, "query.period"),
    ("rankings.csv", {"period": "2026-Q1"}, "query.period"),  # a ranking is of a month
    ("backlog.xlsx", {"period": "2026-03"}, "query.period"),  # the backlog is as of now
    ("breaches.csv", {"community": "Dingjia"}, "query.community"),
    ("rates.csv", {"unit": GAS, "category": "gas"}, "query.category"),
    ("rankings.csv", {"category": "gas"}, "query.category"),
    ("key-cases.csv", {"lang": "fr"}, "query.lang"),
    ("overdue.csv", {"unit": "u" * 201}, "query.unit"),
])
async def test_bad_parameters_answer_422_naming_them(
        client: httpx.AsyncClient, settings: Settings, name: str, params: dict[str, str],
        field: str) -> None:
    answer = await client.get(f"/api/v1/exports/{name}", params=params,
                              headers=office(settings, "chaoyang"))
    assert answer.status_code == 422, answer.text
    assert [p["field"] for p in answer.json()["problems"]] == [field]


async def test_an_export_is_cut_at_its_row_cap_and_says_so(
        client: httpx.AsyncClient, settings: Settings, district: DistrictBacklog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    answer = await export(client, office(settings, district.district), "backlog.xlsx")
    assert (answer.headers["x-export-truncated"], answer.headers["x-export-rows"]) == (
        "true", "2")
    assert [r[0] for r in values(sheet_of(answer))[1:]] == [district.id(n) for n in "DA"]
