"""Monthly rankings: published and frozen, read back byte for byte after new events,
recomputed at their log positions (equal) and with other weights (side by side)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from fractions import Fraction
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.domain.measured_rate import RateKind
from casebus.domain.rankings import RankBy, RankingWeights, rank
from casebus.domain.reporting_period import ReportingPeriod
from casebus.embedded.broker import EmbeddedBroker
from casebus.settings import Settings
from services.reporting.bootstrap import build_app
from tests.conftest import broker_of_its_own
from tests.integration.reporting.events import CST
from tests.integration.reporting.street_month import (
    GAS,
    URBAN,
    ConsumerFeed,
    StreetMonth,
    fold_records,
    street_in_march,
)
from tests.integration.service_app import auth, running_app


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """Its own broker: the package's carries the consumer group of every earlier test's app,
    and a rebalance after their churn can outlast this module's waits."""
    yield from broker_of_its_own(tmp_path_factory, "rankings-broker")


MARCH = ReportingPeriod.month(2026, 3, CST)
EVEN = {"timely-acceptance": "0.5", "unit-satisfaction": "0.5"}


@pytest.fixture
async def feed(read_models: asyncpg.Pool) -> ConsumerFeed:
    return ConsumerFeed(read_models)


@pytest.fixture
async def month(feed: ConsumerFeed) -> StreetMonth:
    street = street_in_march()
    await feed(*street.events)
    return street


@pytest.fixture
async def app(settings: Settings, clock: SimulatedClock, month: StreetMonth
              ) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(build_app(settings, clock=clock)) as client:
        yield client


def leader(settings: Settings, district: str) -> dict[str, str]:
    return auth(settings, district=district, role=Role.LEADER, subject="leader-zhao") | {
        "Idempotency-Key": uuid4().hex}


async def publish(app: httpx.AsyncClient, settings: Settings, district: str,
                  **body: Any) -> httpx.Response:
    return await app.post("/api/v1/rankings", json={"month": "2026-03", **body},
                          headers=leader(settings, district))


def entries(ranking: dict[str, Any]) -> list[tuple[str, int | None, str | None]]:
    return [(e["key"], e["position"], e["score"] and e["score"]["value"])
            for e in ranking["entries"]]


def domain_entries(month: StreetMonth, weights: RankingWeights,
                   basically: Fraction = Fraction(9, 10)) -> list[tuple[str, int | None,
                                                                        str | None]]:
    ranked = rank(fold_records(month.events), MARCH, month.district, RankBy.UNIT, weights,
                  basically)
    return [(e.key, e.position, None if e.score is None else str(e.score)) for e in ranked]


async def test_a_published_ranking_is_frozen_and_recomputable(
        app: httpx.AsyncClient, settings: Settings, month: StreetMonth,
        feed: ConsumerFeed) -> None:
    answer = await publish(app, settings, month.district, by="unit")
    assert answer.status_code == 201, answer.text
    published = answer.json()
    default = RankingWeights.response_resolution_satisfaction("0.30", "0.35", "0.35")
    assert entries(published) == domain_entries(month, default)
    assert [e[0] for e in entries(published)] == [URBAN, GAS]
    assert {"topic": "test.routing", "partition": 0,
            "offset": feed.offsets["test.routing"]} in published["positions"]
    url = f"/api/v1/rankings/{published['ranking_id']}"
    first = await app.get(url, headers=leader(settings, month.district))
    assert json.loads(first.content) == published

    later = StreetMonth(district=month.district)  # new events, same district and month
    later.case("parking", "Dingjia", 20, URBAN, accepted=30, answered=31, closed=31,
               unit_rating="not-satisfied")
    await feed(*later.events)
    again = await app.get(url, headers=leader(settings, month.district))
    assert again.content == first.content  # byte-identical
    fresh = (await publish(app, settings, month.district, by="unit")).json()
    assert entries(fresh) != entries(published)  # the new events do count in a new ranking

    same = await app.get(f"{url}/recomputed", headers=leader(settings, month.district))
    assert same.status_code == 200, same.text
    assert same.json()["recomputed"]["entries"] == published["entries"]
    assert same.json()["published"] == published

    other = await app.get(f"{url}/recomputed", params={
        "weights": ",".join(f"{k}={v}" for k, v in EVEN.items()),
        "basically_satisfied_weight": "0.5"}, headers=leader(settings, month.district))
    assert other.status_code == 200, other.text
    side_by_side = other.json()
    assert side_by_side["published"] == published
    assert side_by_side["recomputed"]["weights"] == {k: str(Fraction(v))
                                                     for k, v in EVEN.items()}
    even = RankingWeights.of({RateKind(k): v for k, v in EVEN.items()})
    # the history at publication only, not the case that came later
    assert entries(side_by_side["recomputed"]) == domain_entries(month, even, Fraction(1, 2))
    assert [e[0] for e in entries(side_by_side["recomputed"])] == [GAS, URBAN]
    assert (await app.get(url, headers=leader(settings, month.district))).content \
        == first.content


@pytest.mark.parametrize(("body", "status", "rule"), [
    ({"weights": {"timely-acceptance": "0.5", "unit-satisfaction": "0.4"}}, 409,
     "ranking-weights-sum-to-one"),
    ({"weights": {"repeat": "0.5", "unit-satisfaction": "0.5"}}, 409,
     "ranking-rate-higher-is-better"),
    ({"weights": {}}, 409, "ranking-weights-sum-to-one"),
    ({"weights": {"speed": "1"}}, 422, None),
    ({"weights": {"unit-satisfaction": "-1"}}, 422, None),
    ({"month": "2026-Q1"}, 422, None), ({"month": "2026-13"}, 422, None),
    ({"by": "street"}, 422, None)])
async def test_bad_rankings_are_refused(app: httpx.AsyncClient, settings: Settings,
                                        month: StreetMonth, body: dict[str, Any], status: int,
                                        rule: str | None) -> None:
    answer = await publish(app, settings, month.district, **body)
    assert answer.status_code == status, answer.text
    if rule is not None:
        assert answer.json()["rule"] == rule
    listed = await app.get("/api/v1/rankings", headers=leader(settings, month.district))
    assert listed.json()["total"] == 0


async def test_listing_paging_roles_and_other_districts(
        app: httpx.AsyncClient, settings: Settings, month: StreetMonth,
        clock: SimulatedClock) -> None:
    ids = []
    for by in ("unit", "community", "unit"):
        answer = await publish(app, settings, month.district, by=by)
        ids.append(answer.json()["ranking_id"])
    clerk = auth(settings, district=month.district, role=Role.CLERK, subject="wang")
    refused = await app.post("/api/v1/rankings", json={"month": "2026-03"},
                             headers=clerk | {"Idempotency-Key": "k"})
    assert refused.status_code == 403
    listed = await app.get("/api/v1/rankings", params={"month": "2026-03", "limit": 2},
                           headers=clerk)
    assert listed.json()["total"] == 3
    assert len(listed.json()["rankings"]) == 2
    rest = await app.get("/api/v1/rankings", params={"month": "2026-03", "offset": 2},
                         headers=clerk)
    assert {r["ranking_id"] for r in listed.json()["rankings"] + rest.json()["rankings"]} \
        == set(ids)
    april = await app.get("/api/v1/rankings", params={"month": "2026-04"}, headers=clerk)
    assert april.json() == {"total": 0, "rankings": []}
    stranger = auth(settings, district="elsewhere", role=Role.LEADER, subject="x")
    assert (await app.get("/api/v1/rankings", headers=stranger)).json()["total"] == 0
    for path in (f"/api/v1/rankings/{ids[0]}", f"/api/v1/rankings/{ids[0]}/recomputed",
                 "/api/v1/rankings/no-such-ranking"):
        assert (await app.get(path, headers=stranger)).status_code == 404
    bad = await app.get(f"/api/v1/rankings/{ids[0]}/recomputed",
                        params={"weights": "timely-acceptance=2"}, headers=clerk)
    assert (bad.status_code, bad.json()["rule"]) == (409, "ranking-weights-sum-to-one")
    assert (await app.get(f"/api/v1/rankings/{ids[0]}/recomputed",
                          params={"weights": "speed=1"}, headers=clerk)).status_code == 422


async def test_a_retried_publication_answers_the_same_ranking(
        app: httpx.AsyncClient, settings: Settings, month: StreetMonth) -> None:
    headers = leader(settings, month.district)
    first = await app.post("/api/v1/rankings", json={"month": "2026-03"}, headers=headers)
    again = await app.post("/api/v1/rankings", json={"month": "2026-03"}, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    listed = await app.get("/api/v1/rankings", headers=headers)
    assert listed.json()["total"] == 1


@pytest.mark.parametrize("params", [
    {"weights": "="}, {"weights": ","}, {"weights": "timely-acceptance="},
    {"weights": "timely-acceptance=1e9"}, {"weights": "x=y=z"}, {"weights": "٠.5=1"},
    {"weights": "timely-acceptance=١"}, {"basically_satisfied_weight": "2"},
    {"basically_satisfied_weight": "0.5\n"}, {"basically_satisfied_weight": "٠.5"}])
async def test_odd_recomputation_inputs_are_refused(
        app: httpx.AsyncClient, settings: Settings, month: StreetMonth,
        params: dict[str, str]) -> None:
    published = (await publish(app, settings, month.district)).json()
    answer = await app.get(f"/api/v1/rankings/{published['ranking_id']}/recomputed",
                           params=params, headers=leader(settings, month.district))
    assert answer.status_code == 422, answer.text
