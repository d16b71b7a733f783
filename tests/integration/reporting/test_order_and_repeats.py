"""Each topic is read on its own, so one case's events arrive in any relative order across
topics (in order within each), and any event may arrive again: the view comes out the same."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from uuid import uuid4

import asyncpg

from casebus.envelope import CloudEvent
from services.reporting.service_layer.case_reads import case_answer
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.events import CaseEvents

GAS, URBAN, HOUSING = "gas-company", "urban-management", "housing"


def h(n: float) -> timedelta:
    return timedelta(hours=n)


def story(case: CaseEvents) -> dict[str, list[CloudEvent]]:
    """The case's events per topic, each topic in its own order (ids fixed per case)."""
    t = START
    due_accept, due_answer = t + h(2) + timedelta(days=15), t + h(4) + timedelta(days=60)
    topics = {
        "intake": [case.registered(t), case.intake("answered", t + h(10), unit_id=GAS,
                                                   outcome="resolved"),
                   case.intake("answer-delivered", t + h(11))],
        "routing": [case.assigned(t + h(2), GAS, (URBAN,)), case.accepted(t + h(4), GAS),
                    case.routing("co-handling-arranged", t + h(5), lead_unit_id=GAS,
                                 assisting_unit_ids=[URBAN, HOUSING]),
                    case.routing("supervision-ordered", t + h(6), order_id="order-1",
                                 issued_by="leader-zhao", instructions="hurry",
                                 due=t + timedelta(days=10), unit_id=GAS),
                    case.routing("flagged-as-key", t + h(7), flagged_by="leader-zhao",
                                 reason="long-standing"),
                    case.routing("extension-approved", t + h(8), approver="head-sun", days=30,
                                 reason="survey", answer_due=due_answer + timedelta(days=30))],
        "accountability": [
            case.clock_started(t - h(1), "register-and-forward", t + timedelta(days=15)),
            case.clock("stopped", t + h(2), "register-and-forward", outcome="forwarded",
                       due_at=t + timedelta(days=15), on_time=True),
            case.clock_started(t + h(2), "notify-acceptance", due_accept, unit=GAS),
            case.clock("stopped", t + h(4), "notify-acceptance", outcome="accepted",
                       due_at=due_accept, on_time=True),
            case.clock_started(t + h(4), "handle-and-answer", due_answer, unit=GAS, days=60),
            case.clock("warned", t + h(9), "handle-and-answer", due_at=due_answer, lead="P3D"),
            case.clock("extended", t + h(9.5), "handle-and-answer", days=30,
                       approved_by="head-sun", reason="survey",
                       due_at=due_answer + timedelta(days=30)),
            case.clock("stopped", t + h(10), "handle-and-answer", outcome="answered",
                       due_at=due_answer + timedelta(days=30), on_time=True)],
    }
    n = iter(range(100))
    return {topic: [e.model_copy(update={"id": f"{case.case_id}/{next(n)}"}) for e in events]
            for topic, events in topics.items()}


def interleaved(topics: dict[str, list[CloudEvent]], rng: random.Random) -> list[CloudEvent]:
    """A random merge keeping each topic's order, with some events delivered again later
    (as after a consumer restart: re-read from an earlier offset of their topic)."""
    queues = {name: list(events) for name, events in topics.items()}
    merged: list[CloudEvent] = []
    while any(queues.values()):
        name = rng.choice([n for n, q in queues.items() if q])
        merged.append(queues[name].pop(0))
    for event in rng.sample(merged, 5):
        merged.insert(rng.randrange(merged.index(event) + 1, len(merged) + 1), event)
    return merged


async def view(pool: asyncpg.Pool, case_id: str) -> str:
    answer = await case_answer(pool, case_id, START + timedelta(days=1))
    assert answer is not None
    return json.dumps(answer, sort_keys=True).replace(case_id, "CASE")


async def test_any_order_across_topics_and_repeats_give_the_same_view(
        feed: Feed, read_models: asyncpg.Pool) -> None:
    views = set()
    for seed in (None, *range(8)):
        case = CaseEvents(case_id=f"case-{uuid4().hex[:8]}")
        topics = story(case)
        if seed is None:  # one topic after another
            await feed(*(e for events in topics.values() for e in events))
        else:
            await feed(*interleaved(topics, random.Random(seed)))
        views.add(await view(read_models, case.case_id))
    assert len(views) == 1
    (only,) = views
    v = json.loads(only)
    assert (v["stage"], v["assignment"]["status"], v["unit_id"]) == ("delivered", "accepted", GAS)
    assert v["assisting_unit_ids"] == [URBAN, HOUSING]
    assert v["units_involved"] == [GAS, URBAN, HOUSING]
    assert v["assignment"]["key_case"] is True
    assert v["assignment"]["extension"] == {"days": 30, "approved_by": "head-sun"}
    assert [o["order_id"] for o in v["assignment"]["supervision_orders"]] == ["order-1"]
    assert [(c["kind"], c["condition"]) for c in v["clocks"]] == [
        ("register-and-forward", "stopped"), ("notify-acceptance", "stopped"),
        ("handle-and-answer", "stopped")]
    assert len(v["events"]) == 17  # each once


async def test_an_older_intake_event_delivered_again_does_not_turn_the_stage_back(
        feed: Feed, read_models: asyncpg.Pool) -> None:
    case = CaseEvents()
    registered = case.registered(START)
    await feed(registered, case.intake("closed", START + h(1)))
    # The same fact under another id (e.g. replayed by hand): older than what was applied.
    await feed(registered.model_copy(update={"id": str(uuid4())}))
    answer = await case_answer(read_models, case.case_id, START + h(2))
    assert answer is not None and answer["stage"] == "closed"
    assert answer["concluded_at"] == "2026-03-02T10:00:00+08:00"


async def test_a_clock_restarted_under_the_same_id_begins_afresh(
        feed: Feed, read_models: asyncpg.Pool) -> None:
    case = CaseEvents()
    due = START + timedelta(days=15)
    breached = case.clock("breached", due, "notify-acceptance", due_at=due)
    await feed(case.clock_started(START, "notify-acceptance", due, unit=GAS), breached,
               case.clock("stopped", due + h(1), "notify-acceptance", outcome="returned",
                          due_at=due, on_time=False),
               case.clock_started(due + h(2), "notify-acceptance", due + timedelta(days=15),
                                  unit=HOUSING),
               case.registered(START),
               breached)  # the first period's breach delivered again: not the new period's
    answer = await case_answer(read_models, case.case_id, due + h(3))
    assert answer is not None
    (clock,) = answer["clocks"]
    assert (clock["unit_id"], clock["phase"], clock["breached"], clock["on_time"]) == (
        HOUSING, "running", False, None)


async def test_a_clock_started_after_its_stop_still_tells_what_clock_it_was(
        feed: Feed, read_models: asyncpg.Pool) -> None:
    # After the embedded broker restarts empty, a relay may publish a clock's stop into it
    # before it republishes the start: the start arrives second and must still fill in the
    # clock's kind, unit and start, without undoing the stop.
    case = CaseEvents()
    due = START + timedelta(days=15)
    await feed(case.clock("stopped", START + h(2), "register-and-forward",
                          outcome="forwarded", due_at=due, on_time=True),
               case.clock_started(START, "register-and-forward", due))
    row = await read_models.fetchrow("SELECT * FROM case_clocks WHERE clock_id = $1",
                                     case.clock_id("register-and-forward"))
    assert (row["kind"], row["phase"], row["outcome"]) == (
        "register-and-forward", "stopped", "forwarded")
    assert row["started_at"] == START and row["category"] == "gas"
