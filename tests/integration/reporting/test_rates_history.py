"""Rates read one period's records, however long the history: a record whose settled window
misses the period is left out in SQL, and the groups listed come from ``rate_groups``, kept by
the fold. The answers stay those of the domain over every record."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from casebus.clock import SimulatedClock
from casebus.domain.case_record import Scope
from casebus.settings import Settings
from services.reporting.adapters.case_record_reads import records_settled_in
from services.reporting.adapters.case_record_schema import DDL as RECORD_DDL
from services.reporting.bootstrap import build_app
from services.reporting.domain.rate_groups import GroupBy
from tests.integration.reporting.events import CaseEvents, local
from tests.integration.reporting.street_month import (
    GAS,
    ConsumerFeed,
    StreetMonth,
    street_in_march,
)
from tests.integration.reporting.test_rates import MARCH, expected, got, reader
from tests.integration.service_app import running_app

OLD_UNIT = "former-water-works"


def concluded_in_2025(month: StreetMonth, unit: str) -> CaseEvents:
    """A case of June 2025, answered and closed then: history for March 2026."""
    c = CaseEvents(district=month.district)
    month.events += [c.registered(local(2025, 6, 2, 10), category="water"),
                     c.assigned(local(2025, 6, 2, 11), unit),
                     c.accepted(local(2025, 6, 3, 10), unit),
                     c.intake("answered", local(2025, 6, 20, 10), unit_id=unit,
                              outcome="support"),
                     c.intake("closed", local(2025, 6, 25, 10))]
    return c


@pytest.fixture
async def month(read_models: asyncpg.Pool) -> tuple[StreetMonth, list[str]]:
    street = street_in_march()
    old = [concluded_in_2025(street, GAS).case_id, concluded_in_2025(street, OLD_UNIT).case_id]
    await ConsumerFeed(read_models)(*street.events)
    return street, old


@pytest.fixture
async def app(settings: Settings, clock: SimulatedClock) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(build_app(settings, clock=clock)) as client:
        yield client


async def test_history_outside_the_period_is_not_read_and_changes_no_rate(
        read_models: asyncpg.Pool, app: httpx.AsyncClient, settings: Settings,
        month: tuple[StreetMonth, list[str]]) -> None:
    street, old = month
    records, groups = await records_settled_in(read_models, street.district, MARCH,
                                               GroupBy.UNIT)
    assert not {r.case_id for r in records} & set(old)  # 2025 is not read for March 2026
    assert sorted(groups) == sorted([GAS, "urban-management", OLD_UNIT])

    answer = await app.get("/api/v1/rates", params={"period": "2026-03", "by": "unit"},
                           headers=reader(settings, street.district))
    assert answer.status_code == 200, answer.text
    listed = {g["key"]: g for g in answer.json()["groups"]}
    assert list(listed) == [OLD_UNIT, GAS, "urban-management"]  # key order, as before
    # expected() folds every event, 2025 included: the domain over the whole history.
    assert got(listed[GAS]) == expected(street, Scope(district=street.district, unit_id=GAS))
    assert all(r["denominator"] == 0 and r["value"] is None
               for r in listed[OLD_UNIT]["rates"].values())

    june = await app.get("/api/v1/rates", params={"period": "2025-06", "by": "unit"},
                         headers=reader(settings, street.district))
    assert june.json()["groups"][0]["rates"]["on-time-answer"]["denominator"] == 1


async def test_groups_follow_a_transfer_and_a_case_that_becomes_a_report(
        read_models: asyncpg.Pool) -> None:
    street = StreetMonth()
    c = CaseEvents(district=street.district)
    feed = ConsumerFeed(read_models)
    await feed(c.registered(local(2026, 3, 2, 10), category="noise"),
               c.assigned(local(2026, 3, 2, 11), "first-unit"))
    assert await _groups(read_models, street.district) == {
        ("category", "noise"): 1, ("community", "Dingjia"): 1, ("district", street.district): 1,
        ("unit", "first-unit"): 1}

    await feed(c.assigned(local(2026, 3, 3, 10), "second-unit", name="transferred"))
    assert (await _groups(read_models, street.district))[("unit", "second-unit")] == 1
    _, units = await records_settled_in(read_models, street.district, MARCH, GroupBy.UNIT)
    assert units == ["second-unit"]

    await feed(c.intake("reclassified", local(2026, 3, 4, 10), to_kind="report",
                        from_kind="claim"))
    assert await _groups(read_models, street.district) == {}  # a report counts in no group


async def test_the_migration_counts_the_groups_of_records_folded_before_it(
        read_models: asyncpg.Pool, month: tuple[StreetMonth, list[str]]) -> None:
    street, _ = month
    kept = await _groups(read_models, street.district)
    async with read_models.acquire() as conn:
        await conn.execute("DROP TABLE rate_groups")
        await conn.execute(RECORD_DDL)
    assert await _groups(read_models, street.district) == kept
    assert kept[("unit", GAS)] == 4  # A, C, D and the 2025 case; the report E is not counted


async def _groups(pool: asyncpg.Pool, district: str) -> dict[tuple[str, str], int]:
    rows = await pool.fetch("SELECT by_key, key, records FROM rate_groups "
                            "WHERE district = $1 AND records <> 0", district)
    return {(r["by_key"], r["key"]): r["records"] for r in rows}
