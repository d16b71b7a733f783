"""A consumer page applied with its cases prepared at once (``CasePages``: the cases locked, their
clocks loaded and their records read in three statements, then each event's handlers in order,
in one transaction with its memo) leaves exactly what applying the same events one at a time,
each in its own transaction, leaves: clock streams and rows, case records and their kinds,
answers remembered, breaches of a letter in force. Pages split cases between them, hold a case's
registration after its handover, and a handover and acceptance of one case together."""

from __future__ import annotations

from typing import Any

import asyncpg

from casebus.clock import SimulatedClock
from casebus.repository import Metadata
from casebus.transaction_memo import transaction_memo
from services.accountability.service_layer.case_pages import CasePages
from services.accountability.service_layer.intake_reactions import IntakeReactions
from services.accountability.service_layer.routing_reactions import RoutingReactions
from tests.integration.accountability.conftest import MARCH_END, Instance
from tests.integration.accountability.facts import deliver
from tests.integration.accountability.month import handled, letter, march

# What each table keeps, less what a second run stamps afresh (event ids, times of writing).
TABLES = {
    "events": "stream_id, version, type, district, occurred_at, data, metadata, topic, key",
    "clocks": "clock_id, case_id, district, kind, unit_id, category, phase, started_at, due_at,"
              " warn_at, next_check_at, breached, on_time, outcome, stopped_at, extension_days,"
              " days_not_counted, version",
    "case_answers": "case_id, answered_at",
    "case_records": "case_id, district, unit_id, counted, kind_events, record, settled_from,"
                    " settled_until",
    "breaches": "breach_id, district, unit_id, review_open",
}


def _events() -> list[Any]:
    late = handled("late-1", 12)  # its registration read after its handover
    return [*march(), late[1], late[0], *late[2:], *handled("gas-9", 10, collective=True)]


async def _kept(pool: asyncpg.Pool) -> dict[str, list[Any]]:
    return {table: sorted((dict(r) for r in await pool.fetch(f"SELECT {columns} FROM {table}")),
                          key=repr) for table, columns in TABLES.items()}


async def _fresh(pool: asyncpg.Pool) -> Instance:
    await pool.execute("TRUNCATE events, clocks, case_answers, case_records, letters, breaches,"
                       " inbox")
    instance = Instance(pool, SimulatedClock(MARCH_END))
    async with pool.acquire() as conn, conn.transaction():
        await instance.desk.sign(conn, letter(), "secretary-zhao", MARCH_END,
                                 Metadata("user:zhao", "signing", "signing"))
    return instance


async def test_pages_at_once_leave_what_one_event_at_a_time_leaves(
        instance: Instance, pool: asyncpg.Pool) -> None:
    events = _events()
    one_by_one = await _fresh(pool)
    await deliver(pool, one_by_one.handlers, *events)
    expected = await _kept(pool)
    assert expected["breaches"] and len(expected["case_records"]) == 8  # the letter was broken

    for size in (len(events), 5, 2):
        paged = await _fresh(pool)
        clock_types = {**IntakeReactions(paged.keeping).handlers,
                       **RoutingReactions(paged.keeping).handlers}
        pages = CasePages(paged.keeping, paged.handlers, set(clock_types))
        for start in range(0, len(events), size):
            async with pool.acquire() as conn, conn.transaction():
                with transaction_memo():
                    await pages.apply(conn, events[start:start + size], {})
        assert await _kept(pool) == expected, f"pages of {size}"
