"""A page of events applied at once leaves every read model as applying them one at a time,
in the same order, does: timeline order, feed positions, case rows, clocks, case records with
their ordinals, and the rate groups' counts (services/reporting/service_layer/
event_handlers.py applies a page's timeline, feed and records in a few statements)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg

from casebus.calendars import CalendarBook
from casebus.envelope import CloudEvent
from services.reporting.adapters.row_batch import RowBatch
from services.reporting.service_layer.event_handlers import PROJECTIONS, ReadModels
from tests.integration.reporting.events import CaseEvents, local
from tests.integration.reporting.street_month import GAS, street_in_march

# Columns a second run numbers afresh or stamps with its own transaction.
VOLATILE = {"tx_id", "updated_at", "computed_at"}
TABLES = ("case_timeline", "event_feed", "event_feed_head", "case_view", "case_units",
          "case_clocks", "case_supervision_orders", "case_records", "case_record_events",
          "rate_groups")


def _events() -> list[CloudEvent]:
    events = street_in_march().events
    c = CaseEvents(district=events[0].district)
    day = local(2026, 3, 20, 9)
    events += [c.registered(day), c.assigned(day + timedelta(minutes=1), GAS),
               c.clock_started(day, "notify-acceptance", day + timedelta(days=15), unit=GAS),
               c.intake("reclassified", day + timedelta(hours=1), from_kind="claim",
                        to_kind="report", reason="a report"),
               c.assigned(day + timedelta(hours=2), "urban-management",
                          name="transferred"),  # moves the record to another unit's group
               c.intake("evaluated", day + timedelta(hours=3),
                        evaluator="petition-office"),  # no rating: the fold cannot read it
               c.clock("stopped", day + timedelta(days=2), "notify-acceptance",
                       on_time=True, outcome="met", due_at=day + timedelta(days=15))]
    # Out of order within a page: a clock's stop before its start (the start fills in only
    # what it alone knows), a warning twice, a breach; an intake stage older than the one
    # applied (refused), then a supervision order and a key-case flag.
    late = CaseEvents(district=events[0].district)
    events += [late.registered(day), late.intake("answered", day + timedelta(hours=4), unit_id=GAS),
               late.clock("stopped", day + timedelta(days=1), "register-and-forward",
                          on_time=True, outcome="forwarded", due_at=day + timedelta(days=15)),
               late.clock_started(day, "register-and-forward", day + timedelta(days=15),
                                  warn_at=day + timedelta(days=10)),
               late.clock("warned", day + timedelta(days=10), "register-and-forward",
                          due_at=day + timedelta(days=15)),
               late.clock("warned", day + timedelta(days=9), "register-and-forward",
                          due_at=day + timedelta(days=14)),
               late.clock("breached", day + timedelta(days=16), "register-and-forward"),
               late.intake("evaluated", day + timedelta(hours=2), evaluator="petition-office"),
               late.routing("supervision-ordered", day + timedelta(hours=5), order_id="o-1",
                            issued_by="office", unit_id=GAS, due=day + timedelta(days=5),
                            limit_days=5),
               late.routing("flagged-as-key", day + timedelta(hours=6), flagged_by="office",
                            reason="many petitioners")]
    return events + events[3:5]  # two events delivered again


async def _tables(conn: asyncpg.Connection) -> dict[str, list[dict[str, Any]]]:
    kept = {}
    for table in TABLES:
        rows = [{k: v for k, v in dict(r).items() if k not in VOLATILE}
                for r in await conn.fetch(f"SELECT * FROM {table}")]
        kept[table] = sorted(rows, key=repr)
    return kept


async def _reset(conn: asyncpg.Connection) -> None:
    await conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")


async def test_a_page_at_once_equals_one_event_at_a_time(read_models: asyncpg.Pool) -> None:
    models = ReadModels.of(CalendarBook(read_models))
    events = _events()
    async with read_models.acquire() as conn:
        for event in events:
            async with conn.transaction():
                await models.apply(conn, event)
        one_at_a_time = await _tables(conn)
        await _reset(conn)
        for start in range(0, len(events), 7):  # pages that split cases and mix topics
            async with conn.transaction():
                await models.apply_page(conn, events[start:start + 7])
        in_pages = await _tables(conn)
    assert one_at_a_time["event_feed"], "the events reached the read models"
    assert len(one_at_a_time["case_timeline"]) == len(events) - 2  # repeats kept once
    assert one_at_a_time["rate_groups"]  # groups were counted
    for table in TABLES:
        assert in_pages[table] == one_at_a_time[table], table
    [late_clock] = [r for r in in_pages["case_clocks"] if r["kind"] == "register-and-forward"]
    assert (late_clock["phase"], late_clock["outcome"], late_clock["breached"]) == (
        "stopped", "forwarded", True)  # the late start filled in, changed nothing else
    assert late_clock["started_at"] == local(2026, 3, 20, 9)
    assert late_clock["warned_due"] == local(2026, 4, 4, 9)  # the later due warned about


async def test_a_page_holding_an_event_twice_applies_it_once(read_models: asyncpg.Pool) -> None:
    models = ReadModels.of(CalendarBook(read_models))
    c = CaseEvents()
    registered = c.registered(local(2026, 3, 2, 9))
    async with read_models.acquire() as conn, conn.transaction():
        await models.apply_page(conn, [registered, registered])
        assert await conn.fetchval("SELECT count(*) FROM event_feed") == 1
        assert await conn.fetchval("SELECT applied FROM case_records") == 1
        assert await conn.fetchval("SELECT position FROM event_feed_head") == 1


async def test_a_pages_case_rows_take_one_statement_per_wave_and_shape(
        read_models: asyncpg.Pool) -> None:
    # Ten cases registered and assigned in one page: each row's second write waits for the
    # next wave; rows of one shape share a statement (not two statements per event).
    cases = [CaseEvents() for _ in range(10)]
    day = local(2026, 3, 20, 9)
    page = [c.registered(day) for c in cases] + [c.assigned(day, GAS) for c in cases]
    rows = RowBatch()
    for event in page:
        PROJECTIONS[event.type](rows, event)
    async with read_models.acquire() as conn, conn.transaction():
        counting = _Counting(conn)
        await rows.flush(counting)  # type: ignore[arg-type]  # the real connection, counted
        assert sorted(counting.tables) == ["case_units", "case_view", "case_view"]
        assert await conn.fetchval(
            "SELECT count(*) FROM case_view WHERE stage = 'registered' AND unit_id = $1",
            GAS) == 10


class _Counting:
    """The real connection's ``fetch``, remembering which table each statement wrote."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.tables: list[str] = []

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        self.tables.append(sql.split(" ")[2])
        rows: list[asyncpg.Record] = await self.conn.fetch(sql, *args)
        return rows
