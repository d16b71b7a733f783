"""Intake's consumer: routing's rule publications and acceptances and accountability's calendar
corrections arrive through the broker; acceptances are applied once and tolerated in any
state, and no valid event is ever dead-lettered."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import asyncpg

from casebus.envelope import CloudEvent
from casebus.topics import events_topic, provision
from tests.conftest import eventually
from tests.integration.intake.helpers import (
    PETITION,
    UNIT,
    accepted_case,
    apply,
    case_accepted,
    clerk,
    count_events,
    day_corrected,
    register,
    rules_published,
    step,
    unit_handler,
)
from tests.integration.platform.kafka_tools import produce


async def publish(settings, topic: str, *events: CloudEvent) -> None:  # type: ignore[no-untyped-def]
    await provision(settings.kafka_bootstrap, partitions=settings.topic_partitions,
                    replication=settings.topic_replication)
    await produce(settings.kafka_bootstrap, topic, [(e.subject, e.to_bytes()) for e in events])


async def test_routing_and_calendar_events_arrive_through_the_broker(client, settings,
                                                                     clock) -> None:
    district = f"d-{uuid4().hex[:8]}"
    refused = await client.post("/api/v1/petitions", json=PETITION,
                                headers=clerk(settings, district))
    assert refused.status_code == 422
    await publish(settings, events_topic("routing"), rules_published(district))
    await publish(settings, events_topic("accountability"),
                  day_corrected(district, "2026-04-02", clock.now()))

    async def registered() -> str | None:
        answer = await client.post("/api/v1/petitions", json=PETITION,
                                   headers=clerk(settings, district))
        return str(answer.json()["case_id"]) if answer.status_code == 201 else None
    case_id = await eventually(registered, timeout=90)

    acceptance = case_accepted(case_id, UNIT, clock.advance(timedelta(hours=1)), district)
    stranger = case_accepted("20990101-unknown", UNIT, clock.now(), district)
    # The same event twice (a redelivery), and another acceptance of the same unit.
    again = case_accepted(case_id, UNIT, clock.now(), district)
    await publish(settings, events_topic("routing"), acceptance, acceptance, stranger, again)

    async def accepted() -> bool:
        read = await client.get(f"/api/v1/petitions/{case_id}",
                                headers=clerk(settings, district))
        return read.json()["state"]["accepting_unit"] == UNIT
    await eventually(accepted, timeout=90)
    conn = await asyncpg.connect(settings.database_url)
    try:
        async def all_applied() -> bool:
            ids = [acceptance.id, stranger.id, again.id]
            return await conn.fetchval(
                "SELECT count(*) FROM inbox WHERE consumer = 'intake' AND event_id = ANY($1)",
                ids) == 3
        await eventually(all_applied, timeout=90)
        assert await conn.fetchval("SELECT count(*) FROM dead_letters") == 0
        assert await conn.fetchval(
            "SELECT count(*) FROM calendar_corrections WHERE district = $1", district) == 1
    finally:
        await conn.close()
    assert await count_events(settings, case_id) == 2  # registered, unit acceptance recorded


async def test_acceptances_a_case_cannot_take_change_nothing(app, client, settings,
                                                             clock) -> None:
    answered = await accepted_case(app, client, settings, clock)
    await step(client, f"/api/v1/petitions/{answered}/answer", unit_handler(settings),
               {"outcome": "explain", "summary": "Pipes on order."})
    report = await register(client, settings, matter_kind="report")
    guided = await register(client, settings, subject="A deposit dispute")
    await step(client, f"/api/v1/petitions/{guided}/non-acceptance", clerk(settings),
               {"reason": "litigation", "explanation": "In court."})
    merged = await register(client, settings)  # repeats the answered case, which is open
    confirmed = await step(client, f"/api/v1/petitions/{merged}/repeat-suggestion/confirmation",
                           clerk(settings))
    assert confirmed["merged"] is True
    for case_id in (answered, report, guided, merged, "20990101-unknown"):
        before = await count_events(settings, case_id)
        await apply(app, case_accepted(case_id, "housing", clock.now()))
        await apply(app, case_accepted(case_id, "housing", clock.now()))
        assert await count_events(settings, case_id) == before


async def test_an_acceptance_learnt_late_keeps_its_own_time(app, client, settings,
                                                            clock) -> None:
    case_id = await register(client, settings)
    earlier = clock.now() - timedelta(minutes=30)
    clock.advance(timedelta(hours=2))
    await apply(app, case_accepted(case_id, UNIT, earlier))
    read = (await client.get(f"/api/v1/petitions/{case_id}", headers=clerk(settings))).json()
    recorded = read["events"][-1]
    assert recorded["type"] == "petition.case.unit-acceptance-recorded.v1"
    assert recorded["occurred_at"] == earlier.isoformat()
    await apply(app, case_accepted(case_id, UNIT, clock.now()))  # a duplicate: nothing new
    assert await count_events(settings, case_id) == 2


async def test_an_acceptance_stamped_by_a_clock_ahead_blocks_no_later_step(app, client,
                                                                           settings,
                                                                           clock) -> None:
    case_id = await register(client, settings)
    ahead = clock.now() + timedelta(minutes=10)  # routing's clock runs ahead of intake's
    await apply(app, case_accepted(case_id, UNIT, ahead))
    answered = await step(client, f"/api/v1/petitions/{case_id}/answer", unit_handler(settings),
                          {"outcome": "support", "summary": "Connected next week."})
    assert answered["state"]["answer_outcome"] == "support"
    read = (await client.get(f"/api/v1/petitions/{case_id}", headers=clerk(settings))).json()
    assert read["events"][-1]["occurred_at"] == ahead.isoformat()
