"""A case through its life, its events published on the three real topics to the running app:
the case view after each step, as leaders and as the handling unit see it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.embedded.broker import EmbeddedBroker
from casebus.envelope import CloudEvent
from casebus.settings import Settings
from casebus.topics import events_topic
from tests.conftest import broker_of_its_own, eventually
from tests.integration.platform.kafka_tools import produce
from tests.integration.reporting.conftest import START
from tests.integration.reporting.events import CaseEvents
from tests.integration.service_app import auth


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """Its own broker: the package's carries the consumer group of every earlier test's app,
    and a rebalance after their churn can outlast this module's waits."""
    yield from broker_of_its_own(tmp_path_factory, "case-lifecycle-broker")


GAS = "gas-company"


async def publish(broker: EmbeddedBroker, service: str, *events: CloudEvent) -> None:
    await produce(broker.bootstrap, events_topic(service),
                  [(e.subject, e.to_bytes()) for e in events])


async def test_a_case_through_its_life(client: httpx.AsyncClient, settings: Settings,
                                       broker: EmbeddedBroker, clock: SimulatedClock) -> None:
    case = CaseEvents()
    leader = auth(settings, role=Role.LEADER, subject="leader-zhao")
    handler = auth(settings, role=Role.UNIT_HANDLER, subject="handler-li", unit=GAS)

    async def view_when(ready: Any, headers: dict[str, str] = leader) -> dict[str, Any]:
        async def check() -> dict[str, Any] | None:
            answer = await client.get(f"/api/v1/cases/{case.case_id}", headers=headers)
            body: dict[str, Any] = answer.json()
            return body if answer.status_code == 200 and ready(body) else None
        found: dict[str, Any] = await eventually(check)
        return found

    registered_at = START
    await publish(broker, "intake", case.registered(registered_at))
    view = await view_when(lambda v: v["stage"] == "registered")
    assert view["matter_kind"] == "claim" and view["category"] == "gas"
    assert view["community"] == "Dingjia" and view["location"] == "Building 3"  # the place
    assert view["subject"] is None  # free text stays in intake
    assert view["registered_at"] == "2026-03-02T09:00:00+08:00"  # local time, as shown anywhere
    assert view["assignment"]["status"] is None and view["clocks"] == []
    forward_due = START + timedelta(days=15)
    await publish(broker, "accountability", case.clock_started(
        START - timedelta(hours=1), "register-and-forward", forward_due))

    # Not assigned yet: the unit has no business with it.
    assert (await client.get(f"/api/v1/cases/{case.case_id}", headers=handler)).status_code \
        == 404

    assigned_at = START + timedelta(hours=2)
    acceptance_due = assigned_at + timedelta(days=15)
    await publish(broker, "routing", case.assigned(assigned_at, GAS, ("urban-management",)))
    await publish(broker, "accountability",
                  case.clock("stopped", assigned_at, "register-and-forward",
                             outcome="forwarded", due_at=forward_due, on_time=True),
                  case.clock_started(assigned_at, "notify-acceptance", acceptance_due,
                                     warn_at=acceptance_due - timedelta(days=2), unit=GAS))
    view = await view_when(lambda v: len(v["clocks"]) == 2
                           and v["clocks"][0]["phase"] == "stopped", headers=handler)
    assert view["unit_id"] == GAS and view["assisting_unit_ids"] == ["urban-management"]
    assert view["assignment"]["status"] == "assigned"
    assert view["assignment"]["rules_version"] == 3
    assert set(view["units_involved"]) == {GAS, "urban-management"}
    forwarding, acceptance = view["clocks"]
    assert forwarding["condition"] == "stopped" and forwarding["on_time"] is True
    assert acceptance["condition"] == "running"
    assert acceptance["due_at"] == "2026-03-17T11:00:00+08:00"
    assert acceptance["warn_at"] == "2026-03-15T11:00:00+08:00"

    clock.advance(timedelta(days=14))  # past the warning instant, not yet due
    view = await view_when(lambda v: True)
    assert view["clocks"][1]["condition"] == "due-soon"
    await publish(broker, "accountability", case.clock(
        "warned", clock.now(), "notify-acceptance", due_at=acceptance_due, lead="P2D"))
    view = await view_when(lambda v: v["clocks"][1]["warned"])

    clock.advance(timedelta(days=2))  # past due
    await publish(broker, "accountability", case.clock(
        "breached", clock.now(), "notify-acceptance", due_at=acceptance_due))
    view = await view_when(lambda v: v["clocks"][1]["breached"])
    assert view["clocks"][1]["condition"] == "overdue"

    accepted_at = clock.now()
    await publish(broker, "routing", case.accepted(accepted_at, GAS))
    answer_due = accepted_at + timedelta(days=60)
    await publish(broker, "accountability",
                  case.clock("stopped", accepted_at, "notify-acceptance", outcome="accepted",
                             due_at=acceptance_due, on_time=False),
                  case.clock_started(accepted_at, "handle-and-answer", answer_due, unit=GAS,
                                     days=60))
    view = await view_when(lambda v: v["assignment"]["status"] == "accepted"
                           and len(v["clocks"]) == 3)
    assert [c["condition"] for c in view["clocks"]] == ["stopped", "stopped", "running"]
    assert view["clocks"][1]["on_time"] is False
    # No warn_at recorded: due soon from the default lead (3 days) before due.
    assert view["clocks"][2]["warn_at"] == "2026-05-14T09:00:00+08:00"
    assert view["assignment"]["answer_due"] == "2026-05-17T09:00:00+08:00"

    mine = (await client.get("/api/v1/my-cases", headers=handler)).json()
    assert [c["case_id"] for c in mine["cases"]] == [case.case_id]

    answered_at = clock.advance(timedelta(days=20))
    await publish(broker, "intake", case.intake("answered", answered_at, unit_id=GAS,
                                                outcome="resolved"))
    await publish(broker, "accountability", case.clock(
        "stopped", answered_at, "handle-and-answer", outcome="answered", due_at=answer_due,
        on_time=True))
    view = await view_when(lambda v: v["stage"] == "answered"
                           and v["clocks"][2]["phase"] == "stopped")
    backlog = (await client.get("/api/v1/backlog", headers=leader)).json()
    assert {u["unit_id"]: u["open"] for u in backlog["units"]}.get(GAS, 0) >= 1

    for name in ("answer-delivered", "evaluated", "closed"):
        data = {"evaluator": "office", "satisfaction": "satisfied"} if name == "evaluated" \
            else {}
        await publish(broker, "intake", case.intake(name, clock.advance(timedelta(days=1)),
                                                    **data))
    await publish(broker, "routing", case.routing("assignment-closed", clock.now(),
                                                  reason="case closed"))
    view = await view_when(lambda v: v["stage"] == "closed"
                           and v["assignment"]["status"] == "closed")
    assert view["concluded_at"] is not None
    types = [e["type"] for e in view["events"]]
    assert types[0] == "petition.clock.started.v1"  # received before it was registered
    assert types.index("petition.case.registered.v2") < types.index("petition.case.assigned.v1")
    assert types[-1] == "petition.case.assignment-closed.v1"
    assert all(e["occurred_at"].endswith("+08:00") for e in view["events"])

    # Concluded: gone from the unit's list and from the backlog.
    mine = (await client.get("/api/v1/my-cases", headers=handler)).json()
    assert case.case_id not in [c["case_id"] for c in mine["cases"]]
    listed = (await client.get("/api/v1/backlog/cases", headers=leader,
                               params={"unit": GAS, "limit": 200})).json()
    assert case.case_id not in [c["case_id"] for c in listed["cases"]]
