"""The deadline watcher on a real database with a simulated clock: each warning and each breach
recorded once, at its instant and not before, also by two instances at once and after a
restart, and never over a consumer that holds the clock."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import asyncpg

from casebus.clock import SimulatedClock
from casebus.consumer import Handler
from casebus.envelope import CloudEvent
from casebus.store import connect_pool
from services.accountability.service_layer.clock_keeping import ClockKeeping
from services.accountability.service_layer.deadline_watcher import DeadlineWatcher
from tests.conftest import eventually
from tests.integration.accountability.conftest import by_kind, keeping_on, stream_types
from tests.integration.accountability.facts import deliver, fact
from tests.unit.clocks.calendars import local

RECEIVED = local(2026, 3, 2, 9)
WARN, DUE = local(2026, 3, 13), local(2026, 3, 18)  # 15 days; 17, 16, 13 March back


def registered(case: str, received: datetime = RECEIVED) -> CloudEvent:
    return fact("registered", case, received + timedelta(minutes=5), received_at=received)


def handed_over_before_due(case: str) -> CloudEvent:
    """Assigned two hours before the forwarding clock's due instant: forwarded on time."""
    return fact("assigned", case, DUE - timedelta(hours=2), unit_id="gas-company",
                acceptance_due=local(2026, 4, 2))


async def forward_clock(pool: asyncpg.Pool, case: str) -> dict:  # type: ignore[type-arg]
    [row] = (await by_kind(pool, case))["register-and-forward"]
    return row


async def test_warns_once_and_breaches_once_at_the_instant_not_before(
        pool: asyncpg.Pool, keeping: ClockKeeping, handlers: dict[str, Handler]) -> None:
    await deliver(pool, handlers, registered("case-w"))
    clock = SimulatedClock(WARN - timedelta(seconds=1))
    watcher = DeadlineWatcher(pool, keeping, clock, interval_seconds=0.01)
    clock_id = (await forward_clock(pool, "case-w"))["clock_id"]

    async def after_pass() -> list[str]:
        await watcher.watch_once()
        return await stream_types(pool, clock_id)

    assert await after_pass() == ["started"]
    clock.advance(timedelta(seconds=1))
    assert await after_pass() == ["started", "warned"]
    assert await after_pass() == ["started", "warned"]
    assert (await forward_clock(pool, "case-w"))["next_check_at"] == DUE
    clock.advance(DUE - WARN - timedelta(microseconds=1))
    assert await after_pass() == ["started", "warned"]
    clock.advance(timedelta(microseconds=1))
    assert await after_pass() == ["started", "warned", "breached"]
    clock.advance(timedelta(days=30))
    assert await after_pass() == ["started", "warned", "breached"]
    times = await pool.fetch("SELECT type, occurred_at, data FROM events WHERE stream_id = $1 "
                             "ORDER BY version", clock_id)
    assert [t["occurred_at"] for t in times[1:]] == [WARN, DUE]
    assert times[1]["data"]["lead"] == "P5D"  # due - warn_at, as recorded
    row = await forward_clock(pool, "case-w")
    assert (row["breached"], row["next_check_at"], row["phase"]) == (True, None, "running")


async def test_two_instances_at_once_record_each_warning_and_breach_exactly_once(
        pool: asyncpg.Pool, database_url: str, keeping: ClockKeeping,
        handlers: dict[str, Handler]) -> None:
    cases = [f"case-{n}" for n in range(40)]
    await deliver(pool, handlers, *(registered(c, RECEIVED + timedelta(hours=7 * n))
                                    for n, c in enumerate(cases)))
    other_pool = await connect_pool(database_url, max_size=5)
    clock = SimulatedClock(RECEIVED)  # one time line, as SharedSimulatedClock gives processes
    instances = [keeping, keeping_on(other_pool)]
    appended = Counter[int]()
    for n, k in enumerate(instances):  # count what each instance appends, changing nothing
        k.repository.append = _counting(  # type: ignore[method-assign]
            k.repository.append, appended, n)
    watchers = [DeadlineWatcher(p, k, clock, 0.001, batch_size=7)
                for p, k in zip((pool, other_pool), instances, strict=True)]
    try:
        while clock.now() < local(2026, 3, 31):
            clock.advance(timedelta(hours=5))
            for _ in range(3):  # both at once, again and again at the same instant
                await asyncio.gather(*(w.watch_once() for w in watchers))
    finally:
        await other_pool.close()
    for case in cases:
        row = await forward_clock(pool, case)
        assert await stream_types(pool, row["clock_id"]) == ["started", "warned", "breached"]
    assert appended[0] > 0 and appended[1] > 0, appended  # both did part of the work
    assert sum(appended.values()) == 80


async def test_two_watchers_running_as_the_service_runs_them_never_repeat_a_transition(
        pool: asyncpg.Pool, database_url: str, keeping: ClockKeeping,
        handlers: dict[str, Handler]) -> None:
    cases = [f"case-run-{n}" for n in range(30)]
    await deliver(pool, handlers, *(registered(c, RECEIVED + timedelta(hours=9 * n))
                                    for n, c in enumerate(cases)))
    other_pool = await connect_pool(database_url, max_size=5)
    clock = SimulatedClock(RECEIVED)
    tasks = [asyncio.create_task(DeadlineWatcher(p, k, clock, 0.005, batch_size=5).run())
             for p, k in ((pool, keeping), (other_pool, keeping_on(other_pool)))]
    try:
        while clock.now() < local(2026, 4, 2):
            clock.advance(timedelta(hours=6))
            await asyncio.sleep(0.01)
        await eventually(lambda: pool.fetchval(
            "SELECT count(*) = 30 FROM clocks WHERE breached"), timeout=30)
        await asyncio.sleep(0.3)  # a repeated warning or breach would be recorded by now
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await other_pool.close()
    for case in cases:
        kinds = Counter(await stream_types(pool, (await forward_clock(pool, case))["clock_id"]))
        assert kinds["breached"] == 1 and kinds["warned"] <= 1 and kinds["started"] == 1


async def test_a_restarted_instance_records_nothing_again(
        pool: asyncpg.Pool, database_url: str, keeping: ClockKeeping,
        handlers: dict[str, Handler]) -> None:
    # case-r2: 15 days from 6 March end on Monday 23 March; it warns from Thursday 19 March.
    await deliver(pool, handlers, registered("case-r1"), registered("case-r2", local(2026, 3, 6)))
    clock = SimulatedClock(DUE + timedelta(days=1))
    await DeadlineWatcher(pool, keeping, clock, 0.01).watch_once()
    before = await pool.fetchval("SELECT count(*) FROM events")
    fresh_pool = await connect_pool(database_url, max_size=2)
    try:  # a new process: new pool, new caches, nothing in memory
        restarted = DeadlineWatcher(fresh_pool, keeping_on(fresh_pool), clock, 0.01)
        await restarted.watch_once()
        clock.advance(timedelta(hours=1))
        await restarted.watch_once()
    finally:
        await fresh_pool.close()
    assert await pool.fetchval("SELECT count(*) FROM events") == before
    # case-r1 was overdue when first seen: only the breach; case-r2 is due soon: warned.
    r1, r2 = await forward_clock(pool, "case-r1"), await forward_clock(pool, "case-r2")
    assert await stream_types(pool, r1["clock_id"]) == ["started", "breached"]
    assert await stream_types(pool, r2["clock_id"]) == ["started", "warned"]


async def test_a_clock_held_by_a_consumer_is_skipped_and_then_needs_nothing(
        pool: asyncpg.Pool, keeping: ClockKeeping, handlers: dict[str, Handler]) -> None:
    await deliver(pool, handlers, registered("case-h"))
    watcher = DeadlineWatcher(pool, keeping, SimulatedClock(DUE), 0.01)
    handover = handed_over_before_due("case-h")
    async with pool.acquire() as conn, conn.transaction():
        await handlers[handover.type](conn, handover)  # holds the case's lock and its rows
        await asyncio.wait_for(watcher.watch_once(), timeout=10)  # skips it, does not wait
    await watcher.watch_once()
    forward = await forward_clock(pool, "case-h")
    assert await stream_types(pool, forward["clock_id"]) == ["started", "stopped"]
    assert (forward["outcome"], forward["on_time"]) == ("forwarded", True)


async def test_a_clock_whose_case_a_consumer_is_deciding_on_is_passed_over(
        pool: asyncpg.Pool, keeping: ClockKeeping, handlers: dict[str, Handler]) -> None:
    # A consumer reads a case's clocks under the case's lock, before it writes any row: the
    # watcher must not decide on them meanwhile, nor wait (the consumer may want its row).
    await deliver(pool, handlers, registered("case-d"))
    watcher = DeadlineWatcher(pool, keeping, SimulatedClock(DUE), 0.01)
    handover = handed_over_before_due("case-d")
    forward_id = (await forward_clock(pool, "case-d"))["clock_id"]
    async with pool.acquire() as conn, conn.transaction():
        async with keeping.of_case(conn, "case-d") as clocks:  # read, nothing written yet
            assert clocks.open() == [forward_id]
            await asyncio.wait_for(watcher.watch_once(), timeout=10)
            assert await stream_types(pool, forward_id) == ["started"]
        await handlers[handover.type](conn, handover)
    await watcher.watch_once()
    assert await stream_types(pool, forward_id) == ["started", "stopped"]
    assert (await forward_clock(pool, "case-d"))["on_time"] is True


async def test_a_fact_read_after_the_breach_is_recorded_after_it_but_judged_by_its_time(
        pool: asyncpg.Pool, keeping: ClockKeeping, handlers: dict[str, Handler]) -> None:
    await deliver(pool, handlers, registered("case-c"))
    seen_at = DUE + timedelta(hours=3)
    await DeadlineWatcher(pool, keeping, SimulatedClock(seen_at), 0.01).watch_once()
    await deliver(pool, handlers, fact("assigned", "case-c", DUE - timedelta(hours=1),
                                       unit_id="gas-company", acceptance_due=local(2026, 4, 2)))
    forward = await forward_clock(pool, "case-c")
    assert await stream_types(pool, forward["clock_id"]) == ["started", "breached", "stopped"]
    assert (forward["stopped_at"], forward["on_time"], forward["outcome"]) == (
        seen_at, True, "forwarded")


def _counting(append, appended: Counter[int], instance: int):
    async def counted(stream_id, expected_version, new, *args, **kwargs):
        await append(stream_id, expected_version, new, *args, **kwargs)
        appended[instance] += len(new)  # one clock per watcher transaction: it committed
    return counted

