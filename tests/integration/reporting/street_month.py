"""March 2026 on one street, as events: units accept (one late), answer, petitioners evaluate,
a repeat, a collective petition and a report arrive. Fed as reporting's consumer applies them
(inbox row, handler, position upsert in one transaction), and folded by the pure domain for
the expected answers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import uuid4

import asyncpg

from casebus.calendars import CalendarBook
from casebus.domain.case_record import CaseRecord
from casebus.domain.case_record_fold import counts, empty_record, fold_event
from casebus.envelope import CloudEvent
from casebus.inbox import ReadAt
from services.reporting.service_layer.event_handlers import ReadModels
from tests.integration.reporting.events import CaseEvents, local

GAS, URBAN = "gas-company", "urban-management"


class ConsumerFeed:
    """Applies events as ``InboxConsumer`` does, on topics of the test's own (``test.<source>``,
    partition 0, offsets counting up), so the log positions are known to the test."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.models = ReadModels.of(CalendarBook(pool))
        self.offsets: dict[str, int] = defaultdict(lambda: -1)

    async def __call__(self, *events: CloudEvent) -> None:
        for event in events:
            topic = f"test.{event.source}"
            self.offsets[topic] += 1
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute("INSERT INTO inbox (consumer, event_id) VALUES ($1, $2)",
                                   "reporting", event.id)
                await self.models.apply_page(
                    conn, [event], {event.id: ReadAt(topic, 0, self.offsets[topic])})
                await conn.execute(
                    """INSERT INTO consumer_position (consumer, topic, partition, kafka_offset)
                       VALUES ('reporting', $1, 0, $2) ON CONFLICT (consumer, topic, partition)
                       DO UPDATE SET kafka_offset = excluded.kafka_offset""",
                    topic, self.offsets[topic])


@dataclass
class StreetMonth:
    district: str = field(default_factory=lambda: f"beiyuan-{uuid4().hex[:8]}")
    events: list[CloudEvent] = field(default_factory=list)

    def case(self, category: str, community: str, registered: int, unit: str, *,
             accepted: int, answered: int, closed: int | None = None,
             collective: bool = False, repeat: bool = False, review: bool = False,
             unit_rating: str | None = None, office_rating: str | None = None,
             kind: str = "claim") -> None:
        """One case, days of March 2026 (local time, 10:00)."""
        c = CaseEvents(district=self.district)

        def day(d: int) -> datetime:
            return local(2026, 3, d, 10)

        self.events += [c.registered(day(registered), category=category, community=community,
                                     collective=collective, matter_kind=kind)]
        if repeat:
            self.events.append(c.intake("repeat-confirmed", day(registered), clerk_id="w"))
        assigned = c.assigned(day(registered) + timedelta(minutes=5), unit)
        self.events += [assigned, c.accepted(day(accepted), unit),
                        c.intake("answered", day(answered), unit_id=unit, outcome="support")]
        if review:
            self.events.append(c.intake("review-requested", day(answered) + timedelta(hours=1),
                                        reason="unhappy"))
        for evaluator, rating in (("responsible-unit", unit_rating),
                                  ("petition-office", office_rating)):
            if rating is not None:
                self.events.append(c.intake("evaluated", day(answered) + timedelta(hours=2),
                                            evaluator=evaluator, satisfaction=rating))
        if closed is not None:
            self.events.append(c.intake("closed", day(closed)))


def street_in_march() -> StreetMonth:
    month = StreetMonth()
    month.case("gas", "Dingjia", 2, GAS, accepted=5, answered=20, closed=28,
               unit_rating="satisfied", office_rating="basically-satisfied")
    month.case("parking", "Zhilizhuang", 2, URBAN, accepted=20, answered=25, closed=30,
               unit_rating="basically-satisfied", office_rating="satisfied")  # accepted late
    month.case("gas", "Dingjia", 10, GAS, accepted=11, answered=22, closed=31, collective=True,
               review=True, unit_rating="not-satisfied")
    month.case("gas", "Zhilizhuang", 12, GAS, accepted=14, answered=26, closed=29, repeat=True)
    month.case("gas", "Dingjia", 15, GAS, accepted=16, answered=18, kind="report")
    return month


def fold_records(events: list[CloudEvent]) -> list[CaseRecord]:
    """What the pure domain makes of the events: the expected side of every comparison."""
    by_case: dict[str, list[CloudEvent]] = defaultdict(list)
    for event in events:
        by_case[event.subject or ""].append(event)
    records = []
    for case_id, history in by_case.items():
        record = empty_record(case_id, history[0].district, history[0].time)
        for e in history:
            record = fold_event(record, e.type, e.time, dict(e.data or {}))
        if counts([(e.type, dict(e.data or {})) for e in history]):
            records.append(record)
    return records
