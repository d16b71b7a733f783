"""The SQL filter and ``clock_condition`` (the one definition) agree, row by row, at moments
on and around every boundary: the warning instant, the default lead, the due instant."""

from __future__ import annotations

import itertools
from datetime import timedelta

import asyncpg

from casebus.domain.clock_condition import ClockCondition, clock_condition
from casebus.domain.deadlines import DEFAULT_WARN_LEAD
from services.reporting.adapters.clock_sql import case_urgency_sql, clock_condition_sql
from services.reporting.domain.urgency import case_urgency
from tests.integration.reporting.events import local

DUE = local(2026, 4, 1)
TICK = timedelta(microseconds=1)
MOMENTS = sorted({m + d for m in (DUE, DUE - timedelta(days=2), DUE - DEFAULT_WARN_LEAD,
                                  DUE - timedelta(days=10), DUE + timedelta(days=5))
                  for d in (-TICK, timedelta(0), TICK)})
WARN_AT = (None, DUE - timedelta(days=2), DUE - timedelta(days=10), DUE)


async def _clocks(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    rows = []
    for n, (phase, warn_at) in enumerate(itertools.product(
            ("running", "paused", "stopped"), WARN_AT)):
        rows.append((f"clock-{n}", f"case-{n % 4}", phase, DUE, warn_at))
    await pool.executemany(
        """INSERT INTO case_clocks (clock_id, case_id, district, phase, due_at, warn_at)
           VALUES ($1, $2, 'chaoyang', $3, $4, $5)""", rows)
    clocks: list[asyncpg.Record] = await pool.fetch("SELECT * FROM case_clocks ORDER BY clock_id")
    return clocks


async def test_sql_condition_agrees_with_clock_condition(read_models: asyncpg.Pool) -> None:
    clocks = await _clocks(read_models)
    seen = set()
    for at in MOMENTS:
        in_sql = dict(await read_models.fetch(
            f"SELECT k.clock_id, {clock_condition_sql('k', '$1')} FROM case_clocks k", at))
        for row in clocks:
            expected = clock_condition(row["phase"], row["due_at"], row["warn_at"], at)
            assert in_sql[row["clock_id"]] == expected, (row, at)
            seen.add(expected)
    assert len(seen) == 5  # the moments reach every condition


async def test_attention_is_when_a_running_clock_turns_due_soon_or_overdue(
        read_models: asyncpg.Pool) -> None:
    """``attention_at`` (kept by a trigger) selects exactly the running clocks due soon or
    overdue at every moment, also after their due instant or warning moved."""
    clocks = await _clocks(read_models)
    await read_models.execute(  # an extension moves one clock's due instant and warning
        "UPDATE case_clocks SET due_at = due_at + interval '3 days', warn_at = NULL "
        "WHERE clock_id = $1", clocks[1]["clock_id"])
    clocks = await read_models.fetch("SELECT * FROM case_clocks ORDER BY clock_id")
    # Only running clocks have one (the planner's statistics are theirs alone).
    assert {r["phase"] for r in clocks if r["attention_at"] is not None} == {"running"}
    for at in [*MOMENTS, DUE + timedelta(days=2)]:
        needing = {r["clock_id"] for r in await read_models.fetch(
            "SELECT clock_id FROM case_clocks WHERE phase = 'running' AND attention_at <= $1",
            at)}
        assert needing == {
            row["clock_id"] for row in clocks if row["phase"] == "running"
            and clock_condition(row["phase"], row["due_at"], row["warn_at"], at)
            in (ClockCondition.OVERDUE, ClockCondition.DUE_SOON)}, at
        assert needing or at < DUE - DEFAULT_WARN_LEAD  # the moments reach both sides
    stopped = await read_models.fetchrow(
        "UPDATE case_clocks SET phase = 'stopped' WHERE clock_id = $1 RETURNING attention_at",
        clocks[0]["clock_id"])
    assert stopped["attention_at"] is None


async def test_a_clock_not_started_has_no_condition_in_sql(read_models: asyncpg.Pool) -> None:
    await read_models.execute("INSERT INTO case_clocks (clock_id, case_id, district, breached) "
                              "VALUES ('c', 'case', 'chaoyang', true)")  # only its breach seen
    assert await read_models.fetchval(
        f"SELECT {clock_condition_sql('k', '$1')} FROM case_clocks k", DUE) is None


async def test_sql_case_urgency_agrees_with_case_urgency(read_models: asyncpg.Pool) -> None:
    clocks = await _clocks(read_models)
    await read_models.executemany(
        "INSERT INTO case_view (case_id, district) VALUES ($1, 'chaoyang')",
        [(f"case-{n}",) for n in range(5)])  # case-4 has no clock
    for at in MOMENTS:
        in_sql = dict(await read_models.fetch(
            f"SELECT c.case_id, {case_urgency_sql('c', '$1')} FROM case_view c", at))
        for case_id in in_sql:
            conditions = [clock_condition(k["phase"], k["due_at"], k["warn_at"], at)
                          for k in clocks if k["case_id"] == case_id]
            assert in_sql[case_id] == case_urgency(conditions), (case_id, at)

