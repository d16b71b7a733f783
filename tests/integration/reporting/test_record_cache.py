"""Rates read a record's JSON only when its row changed since this process last read it: the
rest come from the cache, and a capacity smaller than the period loses no record."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import asyncpg
from prometheus_client import REGISTRY

from casebus.clock import SimulatedClock
from casebus.domain.case_record import CaseRecord, record_to_json
from casebus.domain.settled_cases import settled_window
from casebus.settings import Settings
from services.reporting.adapters.case_record_reads import keep_settled_in, records_settled_in
from services.reporting.adapters.record_cache import RecordCache
from services.reporting.bootstrap import build_app
from services.reporting.domain.periods import parse_period
from services.reporting.domain.rate_groups import GroupBy
from services.reporting.service_layer.record_warmup import recent_months
from tests.conftest import eventually
from tests.integration.reporting.events import local
from tests.integration.service_app import running_app

MARCH, APRIL = parse_period("2026-03"), parse_period("2026-04")
AT = local(2026, 3, 10, 9)


def _record(n: int, **changes: object) -> CaseRecord:
    record = CaseRecord(case_id=f"case-{n:02}", district="chaoyang", category="gas",
                        unit_id=f"unit-{n % 3}", registered_at=AT, assigned_at=AT,
                        acceptance_due=AT + timedelta(days=15))
    return replace(record, **changes)


async def _store(pool: asyncpg.Pool, records: list[CaseRecord]) -> None:
    await pool.executemany(
        """INSERT INTO case_records (case_id, district, record, settled_from, settled_until)
           VALUES ($1, 'chaoyang', $2, $3, $4)
           ON CONFLICT (case_id) DO UPDATE SET record = excluded.record,
               settled_from = excluded.settled_from, settled_until = excluded.settled_until""",
        [(r.case_id, record_to_json(r), *settled_window(r)) for r in records])


async def _read(pool: asyncpg.Pool, cache: RecordCache,
                period: object = MARCH) -> dict[str, CaseRecord]:
    records, _ = await records_settled_in(pool, "chaoyang", period, GroupBy.UNIT,  # type: ignore[arg-type]
                                          cache)
    return {r.case_id: r for r in records}


async def test_only_changed_rows_are_read_again(read_models: asyncpg.Pool) -> None:
    stored = [_record(n) for n in range(10)]
    await _store(read_models, stored)
    cache = RecordCache()
    first = await _read(read_models, cache)
    assert first == {r.case_id: r for r in stored} and len(cache) == 10

    accepted = _record(4, accepted_at=AT + timedelta(days=1))
    await _store(read_models, [accepted])
    second = await _read(read_models, cache)
    assert second["case-04"] == accepted  # its row changed: read again
    assert all(second[c] is first[c] for c in first if c != "case-04")  # the others kept

    # Written again with the same content (a rebuild rewrites every row): read again too.
    await _store(read_models, [_record(5)])
    assert (await _read(read_models, cache))["case-05"] is not second["case-05"]


async def test_a_record_that_left_the_period_is_not_returned(read_models: asyncpg.Pool
                                                             ) -> None:
    await _store(read_models, [_record(n) for n in range(4)])
    cache = RecordCache()
    assert len(await _read(read_models, cache)) == 4
    # Registered in April after a correction: March no longer holds it, the cache still does.
    await _store(read_models, [_record(2, registered_at=local(2026, 4, 20, 9),
                                       assigned_at=local(2026, 4, 20, 9),
                                       acceptance_due=local(2026, 5, 8, 9))])
    assert sorted(await _read(read_models, cache)) == ["case-00", "case-01", "case-03"]
    assert list(await _read(read_models, cache, APRIL)) == ["case-02"]


async def test_a_small_cache_loses_no_record(read_models: asyncpg.Pool) -> None:
    stored = {r.case_id: r for r in (_record(n) for n in range(25))}
    await _store(read_models, list(stored.values()))
    cache = RecordCache(capacity=7)
    for _ in range(2):
        assert await _read(read_models, cache) == stored
        assert len(cache) == 7


def _lookups(outcome: str) -> float:
    return REGISTRY.get_sample_value("casebus_record_cache_lookups_total",
                                     {"outcome": outcome}) or 0.0


async def test_warmed_records_are_not_parsed_at_the_first_read(read_models: asyncpg.Pool
                                                               ) -> None:
    march = [_record(n) for n in range(6)]
    april = [_record(n, registered_at=local(2026, 4, 20, 9), assigned_at=local(2026, 4, 20, 9),
                     acceptance_due=local(2026, 5, 8, 9)) for n in range(6, 9)]
    await _store(read_models, march + april)
    cache = RecordCache()
    assert await keep_settled_in(read_models, MARCH, cache) == 6  # April's are not March's
    held, missed = _lookups("held"), _lookups("missed")
    assert await _read(read_models, cache) == {r.case_id: r for r in march}
    assert (_lookups("held") - held, _lookups("missed") - missed) == (6, 0)

    small = RecordCache(capacity=2)
    assert await keep_settled_in(read_models, MARCH, small) == 2  # up to its capacity


async def test_the_process_cache_reports_its_size_and_evictions(read_models: asyncpg.Pool
                                                                ) -> None:
    await _store(read_models, [_record(n) for n in range(5)])
    cache = RecordCache(capacity=3).reported()
    evicted = REGISTRY.get_sample_value("casebus_record_cache_evictions_total") or 0.0
    missed = _lookups("missed")
    assert len(await _read(read_models, cache)) == 5
    assert _lookups("missed") - missed == 5
    assert REGISTRY.get_sample_value("casebus_record_cache_records") == 3
    assert REGISTRY.get_sample_value("casebus_record_cache_evictions_total") - evicted == 2


def test_recent_months_are_last_month_and_this_one_in_the_districts_time() -> None:
    # 2026-03-31 20:00 UTC is already April 1st in the districts (+08:00).
    span = recent_months(SimulatedClock(datetime(2026, 3, 31, 20, tzinfo=UTC)))
    assert (span.start, span.end) == (MARCH.start, APRIL.end)
    january = recent_months(SimulatedClock(local(2027, 1, 5, 9)))
    assert (january.start, january.end) == (parse_period("2026-12").start,
                                             parse_period("2027-01").end)


async def test_reporting_parses_recent_records_after_its_start(
        read_models: asyncpg.Pool, settings: Settings) -> None:
    await _store(read_models, [_record(n) for n in range(4)])
    app = build_app(settings, clock=SimulatedClock(local(2026, 3, 20, 9)))
    async with running_app(app):
        cache = app.state.reporting.records

        async def warmed() -> bool:
            return len(cache) == 4
        await eventually(warmed, timeout=10)
