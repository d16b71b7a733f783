"""The live event view over real HTTP (uvicorn): replayed, followed live, resumed after a
disconnect without a gap or a duplicate, filtered, scoped to the district and the unit,
bounded per client, capped per process, and finite for a client that did not ask to follow."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from casebus.settings import Settings
from casebus.store import migrate
from services.reporting.adapters.schema import DDL
from services.reporting.bootstrap import build_app
from services.reporting.service_layer.stream import Pace, Watch, event_stream
from services.reporting.service_layer.stream_signal import FeedSignal, StreamSlots
from tests.conftest import broker_of_its_own, make_settings
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.events import CaseEvents
from tests.integration.reporting.sse import SseReader, parse_all, served
from tests.integration.service_app import auth

FOLLOW = {"Accept": "text/event-stream"}
GAS = "gas-company"


def story(case: CaseEvents, unit: str = GAS) -> list[CloudEvent]:
    """Five events of a case: registered, assigned to ``unit``, a clock, accepted, a note."""
    at = START
    return [case.registered(at), case.assigned(at + timedelta(hours=1), unit),
            case.clock_started(at + timedelta(hours=1), "notify-acceptance",
                               at + timedelta(days=15), unit=unit),
            case.accepted(at + timedelta(hours=2), unit),
            case.routing("progress-noted", at + timedelta(hours=3), unit_id=unit, note="called")]


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """Nothing is published here: the app's consumer must bring no other test's events."""
    yield from broker_of_its_own(tmp_path_factory, "stream-broker")


@pytest.fixture
async def app(database_url: str, broker: EmbeddedBroker, feed: Feed) -> AsyncIterator[tuple[
        str, Settings, FastAPI]]:
    settings = make_settings(database_url, broker.bootstrap, service="reporting",
                             stream_page_size=5, stream_heartbeat_seconds=0.5,
                             stream_poll_seconds=0.5, stream_max_clients=3)
    application = build_app(settings, clock=SimulatedClock(START))
    async with served(application) as url:
        yield url, settings, application


def as_(settings: Settings, role: Role = Role.LEADER, district: str = "chaoyang",
        unit: str | None = None) -> dict[str, str]:
    return auth(settings, district=district, role=role, subject=f"{role}-x", unit=unit)


async def snapshot(url: str, headers: dict[str, str], **params: Any) -> httpx.Response:
    """Without ``Accept: text/event-stream`` the stream sends what is there and ends."""
    async with httpx.AsyncClient(base_url=url, timeout=15) as client:
        return await client.get("/api/v1/stream", headers=headers, params=params)


async def test_a_client_resumes_after_a_disconnect_without_a_gap_or_a_duplicate(
        app: tuple[str, Settings, FastAPI], feed: Feed) -> None:
    url, settings, application = app
    first, second = CaseEvents(), CaseEvents()
    await feed(*story(first))
    headers = {**as_(settings), **FOLLOW}
    async with httpx.AsyncClient(base_url=url, timeout=15) as client:
        async with client.stream("GET", "/api/v1/stream", headers=headers) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            got = await SseReader(response).events(3)
        # Disconnected: more happens meanwhile, on several cases committing at once.
        await asyncio.gather(feed(*story(second)), feed(*story(CaseEvents())))
        async with client.stream("GET", "/api/v1/stream",
                                 headers={**headers, "Last-Event-ID": str(got[-1].id)}
                                 ) as response:
            reader = SseReader(response)
            got += await reader.events(2 + 10)
            live = CaseEvents()
            await feed(*story(live)[:2])  # while the client follows
            got += await reader.events(2, timeout=5)
    positions = [e.id for e in got]
    assert positions == sorted(set(positions)), "positions only grow, each once"
    assert [e.data["position"] for e in got if e.data] == positions
    assert len(got) == 17 and sum(e.data["case_id"] == live.case_id for e in got if e.data) == 2
    assert [e.event for e in got[:5]] == [
        "petition.case.registered.v2", "petition.case.assigned.v1",
        "petition.clock.started.v1", "petition.case.accepted.v1",
        "petition.case.progress-noted.v1"]
    registered = got[0].data
    assert registered is not None and registered["time"] == "2026-03-02T09:00:00+08:00"
    assert registered["data"]["category"] == "gas"
    assert "petitioner_ids" not in registered["data"]  # pseudonyms stay out of the live view
    await asyncio.sleep(0.5)
    assert application.state.reporting_stream.slots.open == 0, "both streams gave back their slot"


async def test_many_concurrent_commits_reach_a_live_client_in_order_once(
        app: tuple[str, Settings, FastAPI], feed: Feed) -> None:
    url, settings, _ = app
    cases = [CaseEvents() for _ in range(6)]
    async with httpx.AsyncClient(base_url=url, timeout=15) as client, client.stream(
            "GET", "/api/v1/stream", headers={**as_(settings), **FOLLOW}) as response:
        reader = SseReader(response)
        await asyncio.gather(*(feed(*story(c)) for c in cases))
        got = await reader.events(30)
    positions = [e.id for e in got]
    assert positions == sorted(set(positions))
    assert sorted(e.data["case_id"] for e in got if e.data) == sorted(
        c.case_id for c in cases for _ in range(5))


async def test_filters_and_the_district(app: tuple[str, Settings, FastAPI], feed: Feed) -> None:
    url, settings, _ = app
    ours, other, elsewhere = CaseEvents(), CaseEvents(), CaseEvents(district="haidian")
    await feed(*story(ours), *story(other, unit="water-company"), *story(elsewhere))
    leader = as_(settings)

    everything = parse_all((await snapshot(url, leader)).text)
    assert {e.data["case_id"] for e in everything if e.data} == {ours.case_id, other.case_id}
    by_type = parse_all((await snapshot(
        url, leader, types="petition.case.accepted.v1,petition.clock.started.v1")).text)
    assert sorted(e.event or "" for e in by_type) == [
        "petition.case.accepted.v1", "petition.case.accepted.v1",
        "petition.clock.started.v1", "petition.clock.started.v1"]
    of_case = parse_all((await snapshot(url, leader, case_id=other.case_id)).text)
    assert len(of_case) == 5 and {e.data["case_id"] for e in of_case if e.data} == {
        other.case_id}
    of_unit = parse_all((await snapshot(url, leader, unit="water-company")).text)
    assert {e.data["case_id"] for e in of_unit if e.data} == {other.case_id}
    # The case's events before the unit had it too: as the case view shows them.
    assert (of_unit[0].event or "").startswith("petition.case.registered.")
    after = parse_all((await snapshot(url, leader, last_event_id=str(everything[7].id))).text)
    assert [e.id for e in after] == [e.id for e in everything[8:]]
    haidian = parse_all((await snapshot(url, as_(settings, district="haidian"))).text)
    assert {e.data["case_id"] for e in haidian if e.data} == {elsewhere.case_id}


async def test_a_unit_handler_sees_only_their_units_cases_and_an_operator_only_ids(
        app: tuple[str, Settings, FastAPI], feed: Feed) -> None:
    url, settings, _ = app
    ours, theirs = CaseEvents(), CaseEvents()
    await feed(*story(ours), *story(theirs, unit="water-company"))
    handler = as_(settings, Role.UNIT_HANDLER, unit=GAS)
    seen = parse_all((await snapshot(url, handler)).text)
    assert len(seen) == 5 and {e.data["case_id"] for e in seen if e.data} == {ours.case_id}
    assert parse_all((await snapshot(url, handler, case_id=theirs.case_id)).text) == []
    refused = await snapshot(url, handler, unit="water-company")
    assert refused.status_code == 403

    operator = parse_all((await snapshot(url, as_(settings, Role.OPERATOR))).text)
    assert len(operator) == 10
    accepted = next(e.data for e in operator if e.event == "petition.case.accepted.v1")
    assert accepted is not None and accepted["unit_id"] in (GAS, "water-company")
    assert set(accepted["data"]) == {"case_id", "unit_id"}  # ids only: no due, no limit
    for role in (Role.CLERK, Role.AUDITOR):
        assert len(parse_all((await snapshot(url, as_(settings, role))).text)) == 10


async def test_a_slow_client_holds_at_most_a_page_and_streams_are_capped(
        app: tuple[str, Settings, FastAPI], feed: Feed) -> None:
    url, settings, application = app
    await asyncio.gather(*(feed(*story(CaseEvents())) for _ in range(40)))  # 200 events
    slots = application.state.reporting_stream.slots
    headers = {**as_(settings), **FOLLOW}
    async with httpx.AsyncClient(base_url=url, timeout=15) as client:
        async with client.stream("GET", "/api/v1/stream", headers=headers) as slow:
            reader = SseReader(slow)  # kept: dropping it would close the stream
            await reader.events(1)
            await asyncio.sleep(1.0)  # reads nothing more for a while
            assert slots.most_held <= settings.stream_page_size
            others = [client.stream("GET", "/api/v1/stream", headers=headers)
                      for _ in range(2)]
            opened = [await o.__aenter__() for o in others]
            refused = await asyncio.wait_for(
                client.get("/api/v1/stream", headers=headers), 10)
            assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
            for o in others:
                await o.__aexit__(None, None, None)
            assert all(r.status_code == 200 for r in opened)
        await asyncio.sleep(1.5)  # the server notices the disconnects
        assert slots.open == 0
        async with client.stream("GET", "/api/v1/stream", headers=headers) as again:
            assert again.status_code == 200
            assert len(await SseReader(again).events(200)) == 200
    assert slots.most_held <= settings.stream_page_size


async def test_a_quiet_stream_beats_and_ends_after_max_seconds(
        app: tuple[str, Settings, FastAPI]) -> None:
    url, settings, _ = app
    async with httpx.AsyncClient(base_url=url, timeout=15) as client, client.stream(
            "GET", "/api/v1/stream", params={"max_seconds": 2},
            headers={**as_(settings), **FOLLOW}) as response:
        reader = SseReader(response)
        assert await reader.comment() == "heartbeat"
        rest = await reader.rest(timeout=5)  # ends by itself
    assert {m.comment for m in rest} == {"heartbeat"}


@pytest.mark.parametrize(("params", "headers"), [
    ({"types": "not a type"}, {}), ({"types": "a," * 60 + "b"}, {}),
    ({"last_event_id": "-1"}, {}), ({"last_event_id": "12a"}, {}),
    ({"last_event_id": "9" * 30}, {}), ({}, {"Last-Event-ID": "x"}),
    ({"max_seconds": "0"}, {}), ({"max_seconds": "100000"}, {}),
    ({"unit": "u" * 201}, {}), ({"case_id": "c" * 201}, {}),
])
async def test_malformed_input_is_refused(app: tuple[str, Settings, FastAPI],
                                          params: dict[str, str],
                                          headers: dict[str, str]) -> None:
    url, settings, _ = app
    answer = await snapshot(url, {**as_(settings), **headers}, **params)
    assert answer.status_code == 422, answer.text
    assert answer.json()["problems"]


async def test_without_a_token_nothing_streams(app: tuple[str, Settings, FastAPI]) -> None:
    url, _, _ = app
    assert (await snapshot(url, FOLLOW)).status_code == 401


async def test_a_stream_reads_its_next_page_only_once_its_client_took_the_last(
        feed: Feed) -> None:
    """Pull, not push: what a client has not taken is not read (nor held) by the server."""
    await asyncio.gather(*(feed(*story(CaseEvents())) for _ in range(10)))  # 50 events
    slots = StreamSlots(1)

    async def connected() -> bool:
        return False

    stream = event_stream(feed.pool, FeedSignal(), slots, Watch(
        district="chaoyang", after=0, types=None, case_id=None, unit=None, ids_only=False,
        follow=True, max_seconds=60), Pace(page_size=5, scan=500, heartbeat_seconds=15,
                                           poll_seconds=1), connected)
    assert (await anext(stream)).startswith("retry:")
    taken = [await anext(stream) for _ in range(12)]
    assert slots.pages_read == 3 and slots.most_held == 5  # 5 + 5 + 2 of the third page
    assert [int(f.split("\n")[0].removeprefix("id: ")) for f in taken] == list(range(1, 13))
    await stream.aclose()


async def test_a_commit_wakes_a_waiting_stream_at_once_not_at_the_next_poll(
        database_url: str, broker: EmbeddedBroker, feed: Feed) -> None:
    """PostgreSQL's NOTIFY at the consumer's commit reaches the listener of every instance:
    two apps on one database, neither polling for 30 s, both see a new event at once."""
    settings = make_settings(database_url, broker.bootstrap, service="reporting",
                             stream_poll_seconds=30, stream_heartbeat_seconds=30)
    headers = {**as_(settings), **FOLLOW}
    async with served(build_app(settings, clock=SimulatedClock(START))) as one, \
            served(build_app(settings, clock=SimulatedClock(START))) as two, \
            httpx.AsyncClient(timeout=15) as client, \
            client.stream("GET", f"{one}/api/v1/stream", headers=headers) as first, \
            client.stream("GET", f"{two}/api/v1/stream", headers=headers) as second:
        await asyncio.sleep(0.5)  # both streams are waiting now
        case = CaseEvents()
        await feed(case.registered(START))
        loop = asyncio.get_running_loop()
        started = loop.time()
        got = await asyncio.gather(SseReader(first).events(1, timeout=5),
                                   SseReader(second).events(1, timeout=5))
        assert loop.time() - started < 5
    assert [g[0].data["case_id"] for g in got if g[0].data] == [case.case_id] * 2


async def test_a_feed_created_over_an_existing_timeline_starts_with_its_events(
        feed: Feed) -> None:
    """A reporting database from before the feed: its timeline becomes the feed's start, in the
    order it was kept, without pseudonyms; new events follow."""
    case = CaseEvents()
    await feed(*story(case))
    await feed.pool.execute("DROP TABLE event_feed, event_feed_head")
    await migrate(feed.pool, DDL)
    await migrate(feed.pool, DDL)  # every start runs it: the feed is made once
    rows = await feed.pool.fetch("SELECT position, type, data FROM event_feed ORDER BY position")
    assert [r["position"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r["type"] for r in rows] == [e.type for e in story(case)]
    assert "petitioner_ids" not in rows[0]["data"] and rows[0]["data"]["category"] == "gas"
    await feed(case.intake("closed", START + timedelta(days=1)))
    assert await feed.pool.fetchval("SELECT max(position) FROM event_feed") == 6
