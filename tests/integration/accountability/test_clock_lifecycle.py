"""A case's whole life, fed to accountability's handlers as intake and routing publish it, on
the national 2026 calendar (May Day 1-5 May; make-up working day Saturday 9 May)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from casebus.consumer import Handler
from tests.integration.accountability.conftest import (
    by_kind,
    clocks_of,
    event_count,
    stream_types,
)
from tests.integration.accountability.facts import apply_again, deliver, fact
from tests.unit.clocks.calendars import local

CASE = "case-life"


def life() -> list:  # type: ignore[type-arg]
    at = local
    return [
        fact("registered", CASE, at(2026, 3, 2, 9, 5), received_at=at(2026, 3, 2, 9)),
        fact("assigned", CASE, at(2026, 3, 2, 10), unit_id="gas-company",
             acceptance_due=at(2026, 3, 18)),
        # 60 days from 5 March end on Monday 4 May, a holiday: 6 May is the last day.
        fact("accepted", CASE, at(2026, 3, 5, 10), unit_id="gas-company",
             answer_limit_days=60, answer_due=at(2026, 5, 7)),
        fact("extension-approved", CASE, at(2026, 4, 20, 10), approver="head-li", days=30,
             reason="site survey", answer_due=at(2026, 6, 6)),
        fact("supervision-ordered", CASE, at(2026, 4, 21, 10), order_id="sup-1",
             due=at(2026, 5, 7), limit_days=10, day_count="calendar", unit_id="gas-company"),
        fact("supervision-ordered", CASE, at(2026, 4, 21, 11), order_id="sup-2",
             due=at(2026, 5, 8, 17)),
        fact("answered", CASE, at(2026, 5, 10, 10), unit_id="gas-company"),
        fact("review-requested", CASE, at(2026, 6, 1, 10)),
        fact("review-decided", CASE, at(2026, 6, 20, 10)),
        fact("reexamination-requested", CASE, at(2026, 7, 1, 10)),
        fact("hearing-started", CASE, at(2026, 7, 6, 9)),
        fact("hearing-ended", CASE, at(2026, 7, 8, 17)),
        fact("reexamination-decided", CASE, at(2026, 7, 20, 10)),
        fact("closed", CASE, at(2026, 8, 30, 10)),
    ]


def summary(row: dict) -> tuple:  # type: ignore[type-arg]
    return (row["phase"], row["outcome"], row["on_time"], row["due_at"])


async def test_a_whole_life_starts_and_stops_every_clock_on_the_district_calendar(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    events = life()
    await deliver(pool, handlers, *events)
    kinds = await by_kind(pool, CASE)
    assert {k: len(v) for k, v in kinds.items()} == {
        "register-and-forward": 1, "notify-acceptance": 1, "handle-and-answer": 1,
        "supervision": 2, "review-decision": 1, "reexamination-decision": 1}
    assert summary(kinds["register-and-forward"][0]) == (
        "stopped", "forwarded", True, local(2026, 3, 18))
    assert summary(kinds["notify-acceptance"][0]) == (
        "stopped", "accepted", True, local(2026, 3, 18))
    answer = kinds["handle-and-answer"][0]
    assert summary(answer) == ("stopped", "answered", True, local(2026, 6, 6))
    assert answer["extension_days"] == 30 and answer["unit_id"] == "gas-company"
    sup_1, sup_2 = kinds["supervision"]
    assert summary(sup_1) == ("stopped", "answered", False, local(2026, 5, 7))
    assert summary(sup_2) == ("stopped", "answered", False, local(2026, 5, 8, 17))
    assert summary(kinds["review-decision"][0]) == ("stopped", "decided", True, local(2026, 7, 2))
    reexamination = kinds["reexamination-decision"][0]
    # 30 days from 1 July: 31 July; the hearing days 6 and 7 July are not counted: Sunday 2
    # August, rolled to Monday 3 August.
    assert summary(reexamination) == ("stopped", "decided", True, local(2026, 8, 4))
    assert reexamination["days_not_counted"] == 2
    assert await stream_types(pool, reexamination["clock_id"]) == [
        "started", "paused", "resumed", "stopped"]
    assert all(row["next_check_at"] is None for row in await clocks_of(pool, CASE))


async def test_the_answer_clock_is_due_when_routing_said_and_ids_name_their_cause(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    registered, assigned, accepted = life()[:3]
    await deliver(pool, handlers, registered, assigned, accepted)
    kinds = await by_kind(pool, CASE)
    answer, notify = kinds["handle-and-answer"][0], kinds["notify-acceptance"][0]
    assert answer["due_at"] == datetime.fromisoformat(accepted.data["answer_due"])
    assert answer["clock_id"] == f"clock:{CASE}:handle-and-answer:{accepted.id}"
    assert notify["clock_id"] == f"clock:{CASE}:notify-acceptance:{assigned.id}"
    assert kinds["register-and-forward"][0]["clock_id"] == f"clock:{CASE}:register-and-forward"
    # It warns three working days before: 6 May, then (May Day between) 30 and 29 April.
    assert answer["warn_at"] == local(2026, 4, 29) == answer["next_check_at"]


async def test_every_reaction_applied_twice_changes_nothing(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    events = life()
    await deliver(pool, handlers, *events)
    before, rows = await event_count(pool), await clocks_of(pool, CASE)
    for event in events:
        await apply_again(pool, handlers, event)
    assert await event_count(pool) == before
    assert [(r["clock_id"], r["version"]) for r in await clocks_of(pool, CASE)] == [
        (r["clock_id"], r["version"]) for r in rows]


async def test_a_paused_clock_waits_without_a_wake_up(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    await deliver(pool, handlers, *life()[:11])  # up to the hearing's start
    [paused] = (await by_kind(pool, CASE))["reexamination-decision"]
    assert (paused["phase"], paused["warn_at"], paused["next_check_at"]) == (
        "paused", None, None)
