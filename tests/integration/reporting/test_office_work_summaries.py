"""Reception days and service work counted in reporting: intake's public events (built from
its own event classes, as published) fed through the consumer's handlers, then the summaries
over HTTP. Repeats, corrections replayed out of order and unreadable events change nothing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import httpx
import pytest

from casebus.access import Role
from casebus.domain.events import DomainEvent
from casebus.envelope import CloudEvent, make_cloud_event
from casebus.settings import Settings
from casebus.store import migrate
from services.intake.domain import reception_decisions as reception
from services.intake.domain import service_work as work
from services.intake.domain.facts import Channel
from services.intake.domain.reception_days import ReceptionDay, ReceptionOutcome, evolve
from services.intake.domain.service_work import ServiceWork, Tally
from services.reporting.adapters.office_work_schema import DDL
from tests.integration.reporting.conftest import Feed
from tests.integration.reporting.events import local
from tests.integration.service_app import auth

AT = local(2026, 3, 4, 9)
HERE = reception.RegisteredCase("chaoyang", Channel.RECEPTION_DAY)


def published(event: DomainEvent, stream: str) -> CloudEvent:
    return make_cloud_event(event_id=str(uuid4()), source="urn:petition:intake",
                            wire_type=event.wire_type(), subject=stream, time=event.occurred_at,
                            district=event.district, correlation_id="c", causation_id="c",
                            actor="clerk:wang", data=event.public_data())


def a_reception_day(leader: str, day: date, persons: int, registered: int,
                    held: bool = True, district: str = "chaoyang") -> list[CloudEvent]:
    day_id = f"rd-{uuid4().hex[:8]}"
    events = list(reception.schedule(ReceptionDay(), reception_day_id=day_id,
                                     district=district, leader_id=leader, day=day,
                                     place="room 1", by="c", at=AT))
    state = evolve(ReceptionDay(), events[0])
    for n in range(persons):
        new = reception.receive(state, reception_id=f"{day_id}-{n}", person="Li Xiuying",
                                matter="no gas", by="c", at=AT)
        state = evolve(state, new[0])
        if n < registered:
            new = [*new, *reception.record_outcome(
                state, reception_id=f"{day_id}-{n}", outcome=ReceptionOutcome.CASE_REGISTERED,
                case=reception.RegisteredCase(district, Channel.RECEPTION_DAY),
                case_id=f"case-{n}", guided_to=None, by="c", at=AT)]
        events += new
    if held:
        events += reception.hold(state, by="c", at=AT)
    return [published(e, f"reception-day/{district}/{day_id}") for e in events]


def a_service_work_day(community: str, day: date, *tallies: Tally) -> list[CloudEvent]:
    work_id = f"sw-{uuid4().hex[:8]}"
    events = list(work.record(ServiceWork(), service_work_id=work_id, district="chaoyang",
                              community=community, day=day, tally=tallies[0],
                              notes="Mr Qian Wei", by="c", at=AT))
    state = work.evolve(ServiceWork(), events[0])
    for tally in tallies[1:]:
        [corrected] = work.correct(state, tally=tally, reason="recount", by="c", at=AT)
        state = work.evolve(state, corrected)
        events.append(corrected)
    return [published(e, f"service-work/chaoyang/{work_id}") for e in events]


@pytest.fixture
async def office_feed(feed: Feed) -> Feed:
    await migrate(feed.pool, DDL)
    return feed


async def test_reception_days_per_period_and_leader(
        office_feed: Feed, client: httpx.AsyncClient, settings: Settings) -> None:
    zhao = a_reception_day("leader-zhao", date(2026, 3, 4), persons=3, registered=2)
    await office_feed(*zhao, *zhao[1:3])  # some events again: counted once
    await office_feed(*a_reception_day("leader-zhao", date(2026, 3, 31), 1, 0, held=False),
                      *a_reception_day("leader-qian", date(2026, 3, 11), 2, 1),
                      *a_reception_day("leader-qian", date(2026, 4, 1), 5, 5),
                      *a_reception_day("leader-zhao", date(2026, 3, 5), 4, 4,
                                       district="haidian"))
    headers = auth(settings, role=Role.AUDITOR, subject="auditor-zhao")
    march = (await client.get("/api/v1/reception-days/summary?period=2026-03",
                              headers=headers)).json()
    assert (march["days_scheduled"], march["days_held"], march["persons_received"],
            march["cases_registered"]) == (3, 2, 6, 3)
    assert march["by_leader"] == [
        {"leader_id": "leader-qian", "days_scheduled": 1, "days_held": 1,
         "persons_received": 2, "cases_registered": 1},
        {"leader_id": "leader-zhao", "days_scheduled": 2, "days_held": 1,
         "persons_received": 4, "cases_registered": 2}]
    quarter = (await client.get("/api/v1/reception-days/summary?period=2026-Q2&limit=1",
                                headers=headers)).json()
    assert (quarter["persons_received"], quarter["leaders"]) == (5, 1)
    assert "Li Xiuying" not in str(march)


async def test_service_work_per_community_as_last_corrected(
        office_feed: Feed, client: httpx.AsyncClient, settings: Settings) -> None:
    dingjia = a_service_work_day("Dingjia", date(2026, 3, 7), Tally(("a", "b"), 6, 23),
                                 Tally(("a",), 5, 30))
    await office_feed(*dingjia, dingjia[1], dingjia[0])  # replayed: revision 1 stays
    await office_feed(*a_service_work_day("Dingjia", date(2026, 3, 14), Tally(("a",), 2, 4)),
                      *a_service_work_day("Anzhen", date(2026, 3, 1), Tally(("c",), 0, 7)),
                      *a_service_work_day("Anzhen", date(2026, 2, 28), Tally(("c",), 9, 9)))
    bad = a_service_work_day("Anzhen", date(2026, 3, 2), Tally(("c",), 1, 1))[0]
    await office_feed(bad.model_copy(update={"data": {**bad.data, "demands_resolved": 10**40}}),
                      bad.model_copy(update={"data": {"district": "chaoyang"}}))  # skipped
    summary = (await client.get("/api/v1/service-work/summary?period=2026-03",
                                headers=auth(settings, role=Role.LEADER))).json()
    assert (summary["days"], summary["demands_resolved"], summary["persons_guided"],
            summary["cadre_days"]) == (3, 7, 41, 3)
    assert summary["by_community"] == [
        {"community": "Anzhen", "days": 1, "cadre_days": 1, "demands_resolved": 0,
         "persons_guided": 7},
        {"community": "Dingjia", "days": 2, "cadre_days": 2, "demands_resolved": 7,
         "persons_guided": 34}]


async def test_summaries_are_for_case_readers_and_named_periods(
        client: httpx.AsyncClient, settings: Settings) -> None:
    unit = auth(settings, role=Role.UNIT_HANDLER, subject="handler-li", unit="gas-company")
    for path in ("/api/v1/reception-days/summary", "/api/v1/service-work/summary"):
        assert (await client.get(f"{path}?period=2026-03", headers=unit)).status_code == 403
        for period in ("2026-13", "1999", "March", "2026-Q5"):
            answer = await client.get(f"{path}?period={period}", headers=auth(settings))
            assert answer.status_code == 422, (path, period)
        empty = (await client.get(f"{path}?period=2026", headers=auth(settings))).json()
        assert empty["period"] == "2026" and empty.get("days", empty.get("days_held")) == 0
