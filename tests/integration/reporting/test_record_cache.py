"""Rates read a record's JSON only when its row changed since this process last read it: the
rest come from the cache, and a capacity smaller than the period loses no record."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import asyncpg

from casebus.domain.case_record import CaseRecord, record_to_json
from casebus.domain.settled_cases import settled_window
from services.reporting.adapters.case_record_reads import records_settled_in
from services.reporting.adapters.record_cache import RecordCache
from services.reporting.domain.periods import parse_period
from services.reporting.domain.rate_groups import GroupBy
from tests.integration.reporting.events import local

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
