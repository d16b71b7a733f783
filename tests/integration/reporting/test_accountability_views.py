"""Breaches, accountability reviews and the key-case ledger in reporting: projected from
accountability's public events (built with accountability's own event classes, so the payloads
are what it publishes), in any order and delivered twice, and listed per district."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.domain.events import DomainEvent
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent, make_cloud_event
from casebus.settings import Settings
from casebus.store import migrate
from services.accountability.adapters.letter_index import review_id as accountability_review_id
from services.accountability.domain import breach, key_case_ledger
from services.accountability.domain.letter_assessment import BreachFound
from services.reporting.adapters.accountability_schema import DDL
from services.reporting.bootstrap import build_app
from tests.conftest import eventually, make_settings
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.events import local
from tests.integration.reporting.test_case_lifecycle import publish
from tests.integration.service_app import auth, running_app

GAS = "gas-company"


def cloud(event: DomainEvent, subject: str) -> CloudEvent:
    """As accountability's repository publishes it (subject: the case, else the stream)."""
    return make_cloud_event(
        event_id=str(uuid4()), source="accountability", wire_type=event.wire_type(),
        subject=subject, time=event.occurred_at, district=event.district,
        correlation_id=subject, causation_id=subject, actor="system:test",
        data=event.public_data())


@dataclass
class Accountability:
    district: str = field(default_factory=lambda: f"d-{uuid4().hex[:8]}")

    def breach(self, at: datetime, *, unit: str = GAS, month: int = 3, measured: str = "85.5",
               case_ids: tuple[str, ...] = ("case-1", "case-2")) -> tuple[str, list[CloudEvent]]:
        """A breach of a minimum timely-acceptance rate in ``month`` of 2026: recorded and its
        review opened, as accountability decides them."""
        finding = BreachFound(
            letter_id=f"letter-{unit}-2026", district=self.district, unit_id=unit,
            responsible_person="Director Sun", period_start=local(2026, month, 1),
            period_end=local(2026, month + 1, 1), target="minimum-rate",
            rate="timely-acceptance", threshold=Decimal("90"), measured=Decimal(measured),
            case_ids=case_ids)
        events = breach.decide(breach.initial_state(), breach.RecordBreach(at=at, finding=finding))
        breach_id = breach.breach_id(finding)
        return breach_id, [cloud(e, breach_id) for e in events]

    def concluded(self, breach_id: str, at: datetime, person: str | None = None) -> CloudEvent:
        return cloud(breach.AccountabilityReviewConcluded(
            district=self.district, occurred_at=at, breach_id=breach_id,
            responsibility_confirmed=True, conclusion="Acceptance notices were late.",
            induced_by_unit_error=person is not None, responsible_person=person), breach_id)

    def key_case(self, name: str, case_id: str, at: datetime, **data: Any) -> CloudEvent:
        kinds = {"entered": key_case_ledger.KeyCaseEntered,
                 "plan-set": key_case_ledger.KeyCasePlanSet,
                 "progress-noted": key_case_ledger.KeyCaseProgressNoted,
                 "resolved": key_case_ledger.KeyCaseResolved}
        return cloud(kinds[name](district=self.district, occurred_at=at, case_id=case_id,
                                 **data), case_id)

    def entered(self, case_id: str, at: datetime, reason: str = "open-long") -> CloudEvent:
        return self.key_case("entered", case_id, at, reason=reason, evidence="open 95 days")

    def plan(self, case_id: str, at: datetime, plan: str, leader: str) -> CloudEvent:
        return self.key_case("plan-set", case_id, at, plan=plan, leader_in_charge=leader,
                             set_by="leader-zhao")

    def progress(self, case_id: str, at: datetime) -> CloudEvent:
        return self.key_case("progress-noted", case_id, at, note="met the family",
                             noted_by="leader-zhao")

    def resolved(self, case_id: str, at: datetime) -> CloudEvent:
        return self.key_case("resolved", case_id, at, outcome="settled",
                             resolved_by="leader-zhao")


@pytest.fixture
async def accountability_feed(feed: Feed, read_models: asyncpg.Pool) -> Feed:
    await migrate(read_models, DDL)
    return feed


async def listed(client: httpx.AsyncClient, settings: Settings, district: str, path: str,
                 role: Role = Role.AUDITOR, **params: str) -> dict[str, Any]:
    answer = await client.get(f"/api/v1/{path}", params=params, headers=auth(
        settings, district=district, role=role, subject="auditor-qian"))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_breach_is_listed_with_its_review(
        client: httpx.AsyncClient, settings: Settings, accountability_feed: Feed) -> None:
    acc = Accountability()
    breach_id, events = acc.breach(local(2026, 4, 2, 10))
    await accountability_feed(*events)
    body = await listed(client, settings, acc.district, "breaches")
    assert body["total"] == 1
    assert body["items"] == [{
        "breach_id": breach_id, "letter_id": f"letter-{GAS}-2026", "unit_id": GAS,
        "target": "minimum-rate", "rate": "timely-acceptance", "measured": "85.5",
        "threshold": "90", "period": "2026-03", "case_ids": ["case-1", "case-2"],
        "recorded_at": "2026-04-02T10:00:00+08:00",
        # the id accountability's own review routes answer to
        "review_id": accountability_review_id(breach_id), "review_status": "open"}]
    reviews = await listed(client, settings, acc.district, "accountability-reviews")
    assert reviews["items"] == [{
        "review_id": accountability_review_id(breach_id), "breach_id": breach_id,
        "unit_id": GAS, "opened_at": "2026-04-02T10:00:00+08:00", "status": "open",
        "concluded_at": None, "responsible_person": "Director Sun", "conclusion": None}]


@pytest.mark.parametrize(("params", "count"), [
    ({}, 2), ({"period": "2026-03"}, 1), ({"period": "2026-Q1"}, 1), ({"period": "2026"}, 2),
    ({"period": "2026-Q3"}, 0), ({"unit": "urban-management"}, 1),
    ({"unit": GAS, "period": "2026-04"}, 0),
])
async def test_breaches_filter_by_period_and_unit(
        client: httpx.AsyncClient, settings: Settings, accountability_feed: Feed,
        params: dict[str, str], count: int) -> None:
    acc = Accountability()
    for unit, month in ((GAS, 3), ("urban-management", 4)):
        await accountability_feed(*acc.breach(local(2026, month + 1, 2), unit=unit,
                                              month=month)[1])
    body = await listed(client, settings, acc.district, "breaches", **params)
    assert body["total"] == count == len(body["items"])


async def test_review_events_in_any_order_and_twice_give_the_same_review(
        client: httpx.AsyncClient, settings: Settings, accountability_feed: Feed) -> None:
    acc = Accountability()
    breach_id, (recorded, opened) = acc.breach(local(2026, 4, 2, 10))
    conclusion = acc.concluded(breach_id, local(2026, 4, 20, 15), person="Manager Liu")
    await accountability_feed(conclusion, opened, conclusion, recorded, opened, recorded)
    reviews = await listed(client, settings, acc.district, "accountability-reviews")
    assert reviews["items"] == [{
        "review_id": accountability_review_id(breach_id), "breach_id": breach_id,
        "unit_id": GAS, "opened_at": "2026-04-02T10:00:00+08:00", "status": "concluded",
        "concluded_at": "2026-04-20T15:00:00+08:00", "responsible_person": "Manager Liu",
        "conclusion": "Acceptance notices were late."}]
    breaches = await listed(client, settings, acc.district, "breaches")
    assert [b["review_status"] for b in breaches["items"]] == ["concluded"]
    assert breaches["items"][0]["recorded_at"] == "2026-04-02T10:00:00+08:00"


async def test_reviews_filter_by_status(client: httpx.AsyncClient, settings: Settings,
                                        accountability_feed: Feed) -> None:
    acc = Accountability()
    first, events = acc.breach(local(2026, 4, 2), month=3)
    second, more = acc.breach(local(2026, 5, 2), month=4)
    await accountability_feed(*events, *more, acc.concluded(first, local(2026, 4, 9)))
    for status, expected in (("open", [second]), ("concluded", [first])):
        body = await listed(client, settings, acc.district, "accountability-reviews",
                            status=status)
        assert [r["breach_id"] for r in body["items"]] == expected
    everything = await listed(client, settings, acc.district, "accountability-reviews")
    assert [r["breach_id"] for r in everything["items"]] == [second, first]  # newest first


async def test_the_key_case_ledger(client: httpx.AsyncClient, settings: Settings,
                                   accountability_feed: Feed, clock: SimulatedClock) -> None:
    acc = Accountability()
    clock.advance(local(2026, 3, 20, 9) - START)
    long_open, settled = f"case-{uuid4().hex[:8]}", f"case-{uuid4().hex[:8]}"
    revised_at = local(2026, 3, 5, 9)
    twice = acc.progress(long_open, local(2026, 3, 6, 9))
    await accountability_feed(
        acc.progress(long_open, local(2026, 3, 4, 9)),  # before its entry arrived: kept
        acc.entered(long_open, local(2026, 3, 1, 23, 30)),
        acc.plan(long_open, revised_at, "Revised plan", "leader-zhao"),
        acc.plan(long_open, local(2026, 3, 2, 9), "First plan", "leader-qian"),  # older: no
        twice, twice,
        acc.entered(settled, local(2026, 3, 3, 9), reason="flagged-by-leader"),
        acc.plan(settled, local(2026, 3, 3, 10), "Meet weekly", "leader-zhao"),
        acc.resolved(settled, local(2026, 3, 10, 9)), acc.resolved(settled, local(2026, 3, 11)))
    body = await listed(client, settings, acc.district, "key-cases")
    assert body["total"] == 2
    assert body["items"] == [{
        "case_id": long_open, "reasons": ["open-long"], "entered_at": "2026-03-01T23:30:00+08:00",
        "age_days": 19, "plan": "Revised plan", "leader_in_charge": "leader-zhao",
        "progress_count": 2, "last_progress_at": "2026-03-06T09:00:00+08:00",
        "resolved_at": None}, {
        "case_id": settled, "reasons": ["flagged-by-leader"],
        "entered_at": "2026-03-03T09:00:00+08:00", "age_days": 7,  # until its resolution
        "plan": "Meet weekly", "leader_in_charge": "leader-zhao", "progress_count": 0,
        "last_progress_at": None, "resolved_at": "2026-03-10T09:00:00+08:00"}]
    clock.advance(timedelta(days=10))  # the age runs on the service's clock
    for status, case_id, age in (("open", long_open, 29), ("resolved", settled, 7)):
        only = await listed(client, settings, acc.district, "key-cases", status=status)
        assert [(k["case_id"], k["age_days"]) for k in only["items"]] == [(case_id, age)]


async def test_another_district_sees_none_of_it(
        client: httpx.AsyncClient, settings: Settings, accountability_feed: Feed) -> None:
    acc = Accountability()
    _, events = acc.breach(local(2026, 4, 2))
    await accountability_feed(*events, acc.entered("case-x", local(2026, 3, 1)))
    for path in ("breaches", "accountability-reviews", "key-cases"):
        body = await listed(client, settings, "elsewhere", path, role=Role.LEADER)
        assert body == {"items": [], "total": 0}
        mine = await listed(client, settings, acc.district, path, role=Role.CLERK)
        assert mine["total"] == 1


@pytest.mark.parametrize("role", [Role.UNIT_HANDLER, Role.OPERATOR])
@pytest.mark.parametrize("path", ["breaches", "accountability-reviews", "key-cases"])
async def test_only_the_office_reads_them(client: httpx.AsyncClient, settings: Settings,
                                          role: Role, path: str) -> None:
    answer = await client.get(f"/api/v1/{path}", headers=auth(
        settings, role=role, subject="someone", unit=GAS if role is Role.UNIT_HANDLER else None))
    assert answer.status_code == 403


@pytest.mark.parametrize(("path", "params", "field"), [
    ("breaches", {"period": "2026-13"}, "period"), ("breaches", {"period": "1999"}, "period"),
    ("breaches", {"period": "x" * 11}, "period"), ("breaches", {"unit": "u" * 201}, "unit"),
    ("accountability-reviews", {"status": "closed"}, "status"),
    ("key-cases", {"status": "all"}, "status"), ("key-cases", {"limit": "0"}, "limit"),
])
async def test_bad_parameters_are_named(client: httpx.AsyncClient, settings: Settings,
                                        path: str, params: dict[str, str], field: str) -> None:
    answer = await client.get(f"/api/v1/{path}", params=params,
                              headers=auth(settings, role=Role.LEADER))
    assert answer.status_code == 422, answer.text
    assert [p["field"] for p in answer.json()["problems"]] == [f"query.{field}"]


async def test_breaches_published_on_accountabilitys_topic_reach_the_list(
        database_url: str, own_broker: EmbeddedBroker, clock: SimulatedClock) -> None:
    """Through the real consumer; on a broker of its own, so that no other test's app is still
    leaving the consumer group (a rebalance that can outlast the wait on a busy machine)."""
    settings = make_settings(database_url, own_broker.bootstrap, service="reporting")
    acc = Accountability()
    _, events = acc.breach(local(2026, 4, 2))
    async with running_app(build_app(settings, clock=clock)) as client:
        await publish(own_broker, "accountability", *events,
                      acc.entered("case-y", local(2026, 3, 1)))

        async def both() -> bool:
            b = await listed(client, settings, acc.district, "breaches")
            k = await listed(client, settings, acc.district, "key-cases")
            return b["total"] == 1 and k["total"] == 1
        assert await eventually(both, timeout=60)
