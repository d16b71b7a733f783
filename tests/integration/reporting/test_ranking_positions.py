"""Through the real consumer: events published on the three topics are folded with their log
positions, and a ranking published meanwhile is recomputed equal at those positions."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import asyncpg
import httpx
import pytest

from casebus.access import Role
from casebus.domain.rankings import RankBy, RankingWeights, rank
from casebus.domain.reporting_period import ReportingPeriod
from casebus.embedded.broker import EmbeddedBroker
from casebus.settings import Settings
from casebus.topics import events_topic
from tests.conftest import broker_of_its_own, eventually
from tests.integration.platform.kafka_tools import produce
from tests.integration.reporting.events import CST
from tests.integration.reporting.street_month import StreetMonth, fold_records, street_in_march
from tests.integration.service_app import auth


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """Its own broker: the package's carries the consumer group of every earlier test's app,
    and a rebalance after their churn can outlast this module's waits."""
    yield from broker_of_its_own(tmp_path_factory, "ranking-positions-broker")



async def publish(broker: EmbeddedBroker, month: StreetMonth) -> None:
    for source in ("intake", "routing"):
        await produce(broker.bootstrap, events_topic(source),
                      [(e.subject, e.to_bytes()) for e in month.events if e.source == source])


async def folded(pool: asyncpg.Pool, district: str, count: int) -> bool:
    placed = await pool.fetchval(
        """SELECT count(*) FROM case_record_events
           WHERE district = $1 AND topic IS NOT NULL AND kafka_offset IS NOT NULL""", district)
    return bool(placed == count)


async def test_positions_from_the_real_consumer(
        client: httpx.AsyncClient, settings: Settings, broker: EmbeddedBroker,
        pool: asyncpg.Pool) -> None:
    month = street_in_march()
    await publish(broker, month)
    await eventually(lambda: folded(pool, month.district, len(month.events)), timeout=90)
    leader = auth(settings, district=month.district, role=Role.LEADER, subject="zhao")
    answer = await client.post("/api/v1/rankings", json={"month": "2026-03", "by": "community"},
                               headers=leader | {"Idempotency-Key": uuid4().hex})
    assert answer.status_code == 201, answer.text
    published = answer.json()
    topics = {p["topic"] for p in published["positions"]}
    assert {events_topic("intake"), events_topic("routing")} <= topics
    ranked = rank(fold_records(month.events), ReportingPeriod.month(2026, 3, CST),
                  month.district, RankBy.COMMUNITY,
                  RankingWeights.response_resolution_satisfaction("0.30", "0.35", "0.35"))
    assert [(e["key"], e["score"]["value"]) for e in published["entries"]] == [
        (e.key, str(e.score)) for e in ranked] == [("Dingjia", "13/20"), ("Zhilizhuang", "16/25")]

    later = StreetMonth(district=month.district)
    later.case("gas", "Dingjia", 25, "gas-company", accepted=26, answered=27, closed=31,
               unit_rating="satisfied", office_rating="satisfied")
    await publish(broker, later)
    await eventually(lambda: folded(pool, month.district,
                                    len(month.events) + len(later.events)), timeout=90)
    url = f"/api/v1/rankings/{published['ranking_id']}"
    assert (await client.get(url, headers=leader)).json() == published
    recomputed = (await client.get(f"{url}/recomputed", headers=leader)).json()["recomputed"]
    assert recomputed["entries"] == published["entries"]
    now = await client.post("/api/v1/rankings", json={"month": "2026-03", "by": "community"},
                            headers=leader | {"Idempotency-Key": uuid4().hex})
    assert now.json()["entries"] != published["entries"]
