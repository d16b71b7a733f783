"""Case records kept from the events: folded once, in any arrival order across topics, equal to
the domain's fold; an event the fold cannot read leaves the record as it was."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from casebus.calendars import CalendarBook
from casebus.inbox import ReadAt
from services.reporting.adapters.case_record_reads import records_and_positions, records_at
from services.reporting.service_layer.event_handlers import ReadModels
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.events import CaseEvents
from tests.integration.reporting.street_month import ConsumerFeed, fold_records

DISTRICT = "records-district"


async def test_records_equal_the_domains_fold_whatever_the_topic_order(
        feed: Feed, read_models: asyncpg.Pool) -> None:
    case = CaseEvents(district=DISTRICT)
    registered = case.registered(START, category="parking", collective=True)
    assigned = case.assigned(START + timedelta(minutes=1), "urban-management")
    accepted = case.accepted(START + timedelta(days=1), "urban-management")
    answered = case.intake("answered", START + timedelta(days=5), unit_id="urban-management",
                           outcome="support")
    # routing's topic ahead of intake's; the answer delivered twice
    await feed(assigned, accepted, registered, answered, answered)
    records, _ = await records_and_positions(read_models, DISTRICT, "reporting")
    assert records == fold_records([assigned, accepted, registered, answered])
    (record,) = records
    assert (record.category, record.unit_id, record.is_collective) == (
        "parking", "urban-management", True)
    assert record.answered_at == answered.time


async def test_a_report_is_kept_but_not_counted(feed: Feed, read_models: asyncpg.Pool) -> None:
    report, claim = CaseEvents(district=DISTRICT), CaseEvents(district=DISTRICT)
    await feed(report.registered(START, matter_kind="report"), claim.registered(START),
               claim.intake("reclassified", START, from_kind="claim", to_kind="report",
                            clerk_id="w"),
               claim.intake("reclassified", START, from_kind="report", to_kind="claim",
                            clerk_id="w"))
    records, _ = await records_and_positions(read_models, DISTRICT, "reporting")
    assert [r.case_id for r in records] == [claim.case_id]


async def test_an_unreadable_fact_leaves_the_record(feed: Feed, read_models: asyncpg.Pool
                                                     ) -> None:
    case = CaseEvents(district=DISTRICT)
    await feed(case.registered(START),
               case.intake("evaluated", START, evaluator="responsible-unit",
                           satisfaction="delighted"))
    (record,) = (await records_and_positions(read_models, DISTRICT, "reporting"))[0]
    assert record.unit_evaluation is None
    kept = await read_models.fetchval("SELECT count(*) FROM case_timeline WHERE case_id = $1",
                                      case.case_id)
    assert kept == 2  # the timeline still has it


async def test_events_fed_by_the_consumer_are_placed_at_their_offsets(
        read_models: asyncpg.Pool) -> None:
    case = CaseEvents(district=DISTRICT)
    consumer = ConsumerFeed(read_models)
    events = [case.registered(START), case.assigned(START, "gas-company"),
              case.accepted(START + timedelta(days=1), "gas-company")]
    await consumer(*events)
    placed = await read_models.fetch(
        """SELECT topic, partition, kafka_offset FROM case_record_events
           WHERE case_id = $1 ORDER BY ordinal""", case.case_id)
    assert [tuple(r) for r in placed] == [("test.intake", 0, 0), ("test.routing", 0, 0),
                                          ("test.routing", 0, 1)]
    at_first = await records_at(read_models, DISTRICT, {("test.intake", 0): 0,
                                                        ("test.routing", 0): 0})
    assert at_first == fold_records(events[:2])
    assert await records_at(read_models, DISTRICT, {}) == []


async def test_a_page_of_several_partitions_places_each_event_at_its_own_offset(
        read_models: asyncpg.Pool) -> None:
    first, second = CaseEvents(district=DISTRICT), CaseEvents(district=DISTRICT)
    page = [first.registered(START), second.registered(START),
            first.assigned(START, "gas-company"), second.assigned(START, "gas-company")]
    read_at = {page[0].id: ReadAt("test.intake", 1, 40), page[1].id: ReadAt("test.intake", 3, 7),
               page[2].id: ReadAt("test.routing", 1, 12)}  # the last one: a replay, no place
    async with read_models.acquire() as conn, conn.transaction():
        await ReadModels.of(CalendarBook(read_models)).apply_page(conn, page, read_at)
    placed: dict[str, list[tuple[object, ...]]] = {}
    for r in await read_models.fetch(
            """SELECT case_id, topic, partition, kafka_offset FROM case_record_events
               WHERE case_id = ANY($1::text[]) ORDER BY case_id, ordinal""",
            [first.case_id, second.case_id]):
        placed.setdefault(r["case_id"], []).append(tuple(r)[1:])
    assert placed == {first.case_id: [("test.intake", 1, 40), ("test.routing", 1, 12)],
                      second.case_id: [("test.intake", 3, 7), (None, None, None)]}
    # Positions past every offset hold the placed events only: the second case's record
    # without its assignment.
    at = await records_at(read_models, DISTRICT, {("test.intake", 1): 99, ("test.intake", 3): 99,
                                                  ("test.routing", 1): 99})
    by_case = {r.case_id: r for r in at}
    assert by_case[first.case_id] == fold_records(page[0:3:2])[0]
    assert by_case[second.case_id] == fold_records(page[1:2])[0]
