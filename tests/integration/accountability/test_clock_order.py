"""Intake's and routing's topics are read independently: whatever order the facts of a case
come in, the clocks end up right, and a fact that cannot apply does nothing (never a failure
that would dead-letter it)."""

from __future__ import annotations

import asyncpg

from casebus.consumer import Handler
from casebus.domain.deadlines import ClockKind, DayCount, DeadlinePolicy, Limit
from casebus.envelope import CloudEvent
from services.accountability.service_layer.intake_reactions import IntakeReactions
from services.accountability.service_layer.routing_reactions import RoutingReactions
from tests.integration.accountability.conftest import (
    by_kind,
    event_count,
    keeping_on,
    stream_types,
)
from tests.integration.accountability.facts import deliver, fact
from tests.unit.clocks.calendars import local

CASE = "case-order"


def registered(case: str = CASE) -> CloudEvent:
    return fact("registered", case, local(2026, 3, 2, 9, 5), received_at=local(2026, 3, 2, 9))


def assigned(case: str = CASE, unit: str = "gas-company", day: int = 2) -> CloudEvent:
    return fact("assigned", case, local(2026, 3, day, 10), unit_id=unit,
                acceptance_due=local(2026, 3, day + 16))


def accepted(case: str = CASE, unit: str = "gas-company", day: int = 5) -> CloudEvent:
    return fact("accepted", case, local(2026, 3, day, 10), unit_id=unit, answer_limit_days=60,
                answer_due=local(2026, 5, 7))


async def test_a_handover_read_before_the_registration_stops_forwarding_at_its_time(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    await deliver(pool, handlers, assigned(), registered())
    [forward] = (await by_kind(pool, CASE))["register-and-forward"]
    assert (forward["started_at"], forward["stopped_at"]) == (local(2026, 3, 2, 9),
                                                              local(2026, 3, 2, 10))
    assert (forward["outcome"], forward["on_time"]) == ("forwarded", True)


async def test_an_answer_read_before_the_acceptance_stops_the_answer_clock_it_starts(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    answered = fact("answered", CASE, local(2026, 4, 1, 15), unit_id="gas-company")
    await deliver(pool, handlers, registered(), answered, assigned(), accepted())
    kinds = await by_kind(pool, CASE)
    [answer], [notify] = kinds["handle-and-answer"], kinds["notify-acceptance"]
    assert (answer["phase"], answer["outcome"], answer["on_time"]) == ("stopped", "answered",
                                                                       True)
    assert answer["stopped_at"] == local(2026, 4, 1, 15)
    assert (notify["outcome"], notify["on_time"]) == ("accepted", True)


async def test_a_late_handover_after_a_conclusion_is_stopped_by_routing_closing_it(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    withdrawn = fact("withdrawn", CASE, local(2026, 3, 2, 9, 30))
    closed = fact("assignment-closed", CASE, local(2026, 3, 2, 10, 1))
    await deliver(pool, handlers, registered(), withdrawn, assigned(), closed)
    kinds = await by_kind(pool, CASE)
    assert [(r["outcome"], r["stopped_at"]) for r in kinds["register-and-forward"]] == [
        ("case concluded", local(2026, 3, 2, 9, 30))]
    assert [r["outcome"] for r in kinds["notify-acceptance"]] == ["case concluded"]


async def test_facts_that_cannot_apply_do_nothing_and_fail_nothing(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    await deliver(pool, handlers, registered())
    before = await event_count(pool)
    await deliver(pool, handlers,
                  fact("review-decided", CASE, local(2026, 3, 3)),  # no review clock
                  fact("hearing-ended", CASE, local(2026, 3, 3)),  # no hearing
                  fact("returned", CASE, local(2026, 3, 3), unit_id="gas-company"),
                  fact("extension-approved", CASE, local(2026, 3, 3), approver="head",
                       days=10, reason="survey", answer_due=local(2026, 5, 17)),
                  fact("answered", CASE, local(2026, 3, 4), unit_id="gas-company"))
    assert await event_count(pool) == before
    await deliver(pool, handlers, fact("reexamination-requested", CASE, local(2026, 3, 5)),
                  fact("hearing-ended", CASE, local(2026, 3, 6)))  # running: not resumed
    [reexamination] = (await by_kind(pool, CASE))["reexamination-decision"]
    assert await stream_types(pool, reexamination["clock_id"]) == ["started"]


async def test_every_handover_restarts_the_acceptance_clock_with_its_own_stream(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    rerouted = fact("rerouted", CASE, local(2026, 3, 4, 10), unit_id="housing",
                    acceptance_due=local(2026, 3, 20))
    transferred = fact("transferred", CASE, local(2026, 3, 10, 10), unit_id="urban-mgmt",
                       acceptance_due=local(2026, 3, 26))
    await deliver(pool, handlers, registered(), assigned(),
                  fact("returned", CASE, local(2026, 3, 3, 10), unit_id="gas-company"),
                  rerouted, accepted(unit="housing", day=5), transferred,
                  accepted(unit="urban-mgmt", day=12))
    kinds = await by_kind(pool, CASE)
    assert [(r["unit_id"], r["outcome"]) for r in kinds["notify-acceptance"]] == [
        ("gas-company", "returned"), ("housing", "accepted"), ("urban-mgmt", "accepted")]
    assert [(r["unit_id"], r["phase"], r["outcome"]) for r in kinds["handle-and-answer"]] == [
        ("housing", "stopped", "handed over"), ("urban-mgmt", "running", None)]
    assert len({r["clock_id"] for rows in kinds.values() for r in rows}) == 6


async def test_a_conclusion_stops_running_and_paused_clocks(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    await deliver(pool, handlers, registered(), assigned(), accepted(),
                  fact("supervision-ordered", CASE, local(2026, 3, 6), order_id="sup-9",
                       due=local(2026, 3, 20)),
                  fact("reexamination-requested", CASE, local(2026, 3, 7)),
                  fact("hearing-started", CASE, local(2026, 3, 8)),
                  fact("merged", CASE, local(2026, 3, 9)))
    rows = [r for rows in (await by_kind(pool, CASE)).values() for r in rows]
    assert {r["phase"] for r in rows} == {"stopped"}
    assert {r["kind"]: r["outcome"] for r in rows}["reexamination-decision"] == "case concluded"
    assert {r["kind"]: r["outcome"] for r in rows}["supervision"] == "case concluded"


async def test_limits_come_from_the_districts_policy_and_the_cases_category(
        pool: asyncpg.Pool, handlers: dict[str, Handler]) -> None:
    ten = Limit(10, DayCount.CALENDAR)
    strict = keeping_on(pool)
    strict.policy = lambda district: DeadlinePolicy(district, {
        ("gas supply", ClockKind.NOTIFY_ACCEPTANCE): ten}, warn_working_days=1)
    tight = {**IntakeReactions(strict).handlers, **RoutingReactions(strict).handlers}
    await deliver(pool, tight, registered(), assigned(),
                  fact("escalated", CASE, local(2026, 3, 3, 10), unit_id="street-office",
                       acceptance_due=local(2026, 3, 14)))
    notify = (await by_kind(pool, CASE))["notify-acceptance"]
    # The escalation names no category: the case's (from its registration) still applies.
    assert [(r["due_at"], r["warn_at"]) for r in notify] == [
        (local(2026, 3, 13), local(2026, 3, 12)), (local(2026, 3, 14), local(2026, 3, 13))]
    [forward] = (await by_kind(pool, CASE))["register-and-forward"]
    assert forward["warn_at"] == local(2026, 3, 17)  # one working day: the last
