"""Letters assessed continuously on a real database: a unit's month of cases (fed through the
consumer's handlers, each in its transaction with the inbox row) breaks the letter's targets,
and the breaches recorded are exactly what the pure domain computes over the same records,
with exactly this unit's (and district's) cases; each breach once, also when assessed again,
by two instances at once and after a restart; a clock breach of the unit assesses it too."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import asyncpg

from casebus.clock import SimulatedClock
from casebus.domain.measured_rate import RateKind
from casebus.domain.reporting_period import ReportingPeriod
from casebus.envelope import make_cloud_event
from casebus.repository import Metadata
from casebus.store import connect_pool
from services.accountability.adapters import case_records
from services.accountability.domain.breach import breach_id
from services.accountability.domain.letter_assessment import TargetKind, assess_letter
from services.accountability.domain.letter_targets import LetterTargets
from services.accountability.service_layer.deadline_watcher import DeadlineWatcher
from tests.integration.accountability.conftest import MARCH_END, Instance, breach_streams
from tests.integration.accountability.facts import apply_again, deliver, fact
from tests.integration.accountability.month import UNIT, handled, letter, march
from tests.unit.clocks.calendars import local

YEAR = ReportingPeriod(local(2026, 1, 1), local(2027, 1, 1))


async def sign(instance: Instance, **changes: Any) -> dict[str, Any]:
    async with instance.pool.acquire() as conn, conn.transaction():
        return await instance.desk.sign(conn, letter(**changes), "secretary-zhao",
                                        instance.clock.now(), Metadata.fresh("user:zhao"))


async def test_a_months_breaches_are_what_the_domain_computes_with_exactly_the_cases(
        instance: Instance, pool: asyncpg.Pool) -> None:
    await deliver(pool, instance.handlers, *march())
    records = await case_records.unit_records(pool, "chaoyang", UNIT)
    assert [r.case_id for r in records] == ["gas-1", "gas-2", "gas-3", "gas-4"]

    answer = await sign(instance)

    expected = [f.model_copy(update={"period_end": YEAR.end}) for f in assess_letter(
        letter(), records, ReportingPeriod(YEAR.start, MARCH_END), ["gas-4"])]
    by_target = {(f.target, f.rate): f for f in expected}
    assert set(by_target) == {
        (TargetKind.MINIMUM_RATE, RateKind.TIMELY_ACCEPTANCE),
        (TargetKind.MINIMUM_RATE, RateKind.ON_TIME_ANSWER),
        (TargetKind.MINIMUM_RATE, RateKind.UNIT_SATISFACTION),
        (TargetKind.MINIMUM_RATE, RateKind.EVALUATION_PARTICIPATION),
        (TargetKind.MAXIMUM_COUNT, RateKind.REPEAT),
        (TargetKind.NO_CASE_OVERDUE, None)}
    assert by_target[TargetKind.MINIMUM_RATE, RateKind.TIMELY_ACCEPTANCE].case_ids == ("gas-1",)
    assert by_target[TargetKind.MAXIMUM_COUNT, RateKind.REPEAT].case_ids == ("gas-3",)
    assert by_target[TargetKind.NO_CASE_OVERDUE, None].case_ids == ("gas-4",)  # not urban-1

    streams = await breach_streams(pool)
    assert sorted(answer["breaches_recorded"]) == sorted(streams)
    assert sorted(streams) == sorted(breach_id(f) for f in expected)
    for finding in expected:
        recorded, opened = streams[breach_id(finding)]
        assert recorded["type"] == "petition.breach.recorded.v1"
        assert recorded["finding"] == finding.model_dump(mode="json")
        assert opened["type"] == "petition.accountability-review.opened.v1"
        assert opened["responsible_person"] == "Manager Liu"
    reviews = await pool.fetch("SELECT breach_id, review_open FROM breaches")
    assert sorted(r["breach_id"] for r in reviews) == sorted(streams)


async def test_an_event_that_breaks_a_target_records_its_breach_once(
        instance: Instance, pool: asyncpg.Pool) -> None:
    await sign(instance, targets=LetterTargets(maximum_count={RateKind.COLLECTIVE: 0},
                                               no_case_overdue=False))
    assert await breach_streams(pool) == {}
    collective = handled("gas-9", 10, collective=True)
    await deliver(pool, instance.handlers, collective[0])  # registered: not yet the unit's
    assert await breach_streams(pool) == {}
    await deliver(pool, instance.handlers, collective[1])  # assigned to the gas company
    [(stream, events)] = (await breach_streams(pool)).items()
    assert events[0]["finding"]["case_ids"] == ["gas-9"]
    await apply_again(pool, instance.handlers, collective[1])
    await deliver(pool, instance.handlers, *collective[2:],
                  *handled("gas-10", 11, collective=True))
    assert await breach_streams(pool) == {stream: events}  # recorded once, as first found


async def test_a_letter_signed_while_an_event_of_the_unit_is_applied_finds_the_breach(
        instance: Instance, pool: asyncpg.Pool) -> None:
    """Neither transaction sees the other's uncommitted work, so they assess the unit in turn:
    the event applied after the signing committed sees the letter."""
    collective = handled("gas-9", 10, collective=True)
    await deliver(pool, instance.handlers, collective[0])  # registered: not yet the unit's
    targets = LetterTargets(maximum_count={RateKind.COLLECTIVE: 0}, no_case_overdue=False)
    async with pool.acquire() as conn, conn.transaction():  # the signing, not yet committed
        signed = await instance.desk.sign(conn, letter(targets=targets), "secretary-zhao",
                                          instance.clock.now(), Metadata.fresh("user:zhao"))
        assert signed["breaches_recorded"] == []  # the case is not the unit's yet
        assigning = asyncio.create_task(deliver(pool, instance.handlers, collective[1]))
        await asyncio.sleep(0.5)
        assert not assigning.done()  # waiting for the unit's assessment to end
    await assigning
    [(_, events)] = (await breach_streams(pool)).items()
    assert events[0]["finding"]["case_ids"] == ["gas-9"]


async def test_two_instances_at_once_and_a_restart_record_each_breach_once(
        instance: Instance, pool: asyncpg.Pool, database_url: str) -> None:
    await sign(instance, targets=LetterTargets(maximum_count={RateKind.REPEAT: 0},
                                               no_case_overdue=False))
    other_pool = await connect_pool(database_url, max_size=10)
    try:
        other = Instance(other_pool, SimulatedClock(MARCH_END))
        for n in range(1, 6):  # each round, each instance sees a different repeat first
            first, second = handled(f"a-{n}", n), handled(f"b-{n}", n)
            await asyncio.gather(deliver(pool, instance.handlers, *first),
                                 deliver(other_pool, other.handlers, *second))
            repeat = [fact("repeat-confirmed", c, local(2026, 3, 20 + n), repeat_of="x",
                           clerk_id="clerk-wang") for c in (f"a-{n}", f"b-{n}")]
            await asyncio.gather(deliver(pool, instance.handlers, repeat[0]),
                                 deliver(other_pool, other.handlers, repeat[1]))
    finally:
        await other_pool.close()
    streams = await breach_streams(pool)
    assert len(streams) == 1
    [events] = streams.values()
    assert [e["type"] for e in events] == ["petition.breach.recorded.v1",
                                           "petition.accountability-review.opened.v1"]
    restarted = Instance(pool, SimulatedClock(MARCH_END + timedelta(days=1)))
    await deliver(pool, restarted.handlers, fact("repeat-confirmed", "gas-x", local(2026, 3, 26),
                                                 repeat_of="x", clerk_id="clerk-wang"),
                  *handled("gas-x", 26))
    assert await breach_streams(pool) == streams
    assert await pool.fetchval("SELECT count(*) FROM breaches") == 1


async def test_a_clock_breach_of_the_unit_assesses_its_letters(
        instance: Instance, pool: asyncpg.Pool) -> None:
    clock = SimulatedClock(local(2026, 3, 10, 12))
    instance = Instance(pool, clock)  # the fixture's tables, on the 10th
    await sign(instance, targets=LetterTargets(no_case_overdue=True))
    await deliver(pool, instance.handlers, *handled("gas-5", 9, answer_after_days=None,
                                                    limit_days=2))
    assert await breach_streams(pool) == {}  # due on the 12th: not overdue yet
    clock.advance(timedelta(days=3))
    await DeadlineWatcher(pool, instance.keeping, clock, 0.01).watch_once()
    row = await pool.fetchrow("SELECT stream_id, data, occurred_at FROM events "
                              "WHERE type = 'petition.clock.breached.v1'")
    assert row is not None
    breached = make_cloud_event(
        event_id="clock-breach-1", source="urn:petition:accountability",
        wire_type="petition.clock.breached.v1", subject="gas-5", time=row["occurred_at"],
        district="chaoyang", correlation_id="c", causation_id="c",
        actor="system:accountability", data=row["data"])
    await deliver(pool, instance.handlers, breached)
    [(stream, events)] = (await breach_streams(pool)).items()
    assert events[0]["finding"]["target"] == "no-case-overdue"
    assert events[0]["finding"]["case_ids"] == ["gas-5"]
    assert stream.endswith("/no-case-overdue")


async def test_a_letters_year_reads_only_the_records_it_can_count(
        instance: Instance, pool: asyncpg.Pool) -> None:
    """Last year's cases of the unit are not read for this year's letter (however many there
    are), and reading them would change no finding."""
    at = local(2025, 6, 2, 9)
    await deliver(pool, instance.handlers, *march(),
                  fact("registered", "gas-2025", at, received_at=at),
                  fact("assigned", "gas-2025", at, unit_id=UNIT,
                       acceptance_due=(at + timedelta(days=3)).isoformat()),
                  fact("accepted", "gas-2025", at + timedelta(days=5), unit_id=UNIT,
                       answer_limit_days=60,
                       answer_due=(at + timedelta(days=65)).isoformat()))
    everything = await case_records.unit_records(pool, "chaoyang", UNIT)
    this_year = await case_records.unit_records(pool, "chaoyang", UNIT, YEAR)
    assert "gas-2025" in [r.case_id for r in everything]
    assert [r.case_id for r in this_year] == ["gas-1", "gas-2", "gas-3", "gas-4"]
    so_far = ReportingPeriod(YEAR.start, MARCH_END)
    assert assess_letter(letter(), this_year, so_far, ["gas-4"]) == assess_letter(
        letter(), everything, so_far, ["gas-4"])


async def test_a_registration_read_after_the_handover_folds_into_the_record_it_made(
        instance: Instance, pool: asyncpg.Pool) -> None:
    # In order, the registration makes the case's record in one statement; read after the
    # handover (the topics are read independently) it folds into the record that made.
    in_order = handled("order-1", 2)
    late = handled("order-2", 2)
    await deliver(pool, instance.handlers, *in_order, late[1], late[0], *late[2:])
    first, second = await case_records.unit_records(pool, "chaoyang", UNIT)
    assert first.case_id == "order-1" and first.category == "gas supply"
    assert replace(second, case_id="order-1") == first
    kinds = await pool.fetchval(
        "SELECT kind_events FROM case_records WHERE case_id = 'order-2'")
    assert [t for t, _ in kinds] == ["petition.case.registered.v1"]
