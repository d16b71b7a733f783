"""``GET /cases/{id}?as_of=``: the case as it stood then, folded from its timeline. At ``now``
the fold must answer exactly what the current view (read from the projections) answers, after
every step of whole lifecycles; at a past day it shows who was responsible, which clocks ran
and how they stood then, and what the petitioner had been told by then."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from casebus.access import Role
from casebus.clock import SimulatedClock
from casebus.envelope import CloudEvent
from casebus.settings import Settings
from services.reporting.domain.case_history_fold import FOLDS
from services.reporting.domain.stages import STAGE_AFTER
from services.reporting.service_layer.event_handlers import PROJECTIONS
from tests.integration.reporting.conftest import START, Feed
from tests.integration.reporting.events import CaseEvents
from tests.integration.service_app import auth

GAS, WATER = "gas-company", "water-company"


def days(n: float) -> timedelta:
    return timedelta(days=n)


def claim_through_review(case: CaseEvents, clock: SimulatedClock, version: int = 2
                         ) -> list[list[CloudEvent]]:
    """A claim's whole life in steps (each step's events at the clock's then-current time):
    forwarded late, co-handled, extended, supervised, flagged, answered, reviewed, closed."""
    def at(advance: float) -> datetime:
        return clock.advance(days(advance))

    t0 = clock.now()
    acceptance_due, answer_due = t0 + days(15), t0 + days(16 + 60)
    return [
        [case.clock_started(t0 - timedelta(hours=1), "register-and-forward", t0 + days(15)),
         case.registered(t0, version=version)],
        [case.assigned(t1 := at(1), GAS, (WATER,)),
         case.clock("stopped", t1, "register-and-forward", outcome="forwarded",
                    due_at=t0 + days(15), on_time=True),
         case.clock_started(t1, "notify-acceptance", acceptance_due,
                            warn_at=acceptance_due - days(2), unit=GAS)],
        [case.clock("warned", at(13.5), "notify-acceptance", due_at=acceptance_due, lead="P2D")],
        [case.clock("breached", t2 := at(2), "notify-acceptance", due_at=acceptance_due),
         case.accepted(t2, GAS),
         case.clock("stopped", t2, "notify-acceptance", outcome="accepted",
                    due_at=acceptance_due, on_time=False),
         case.clock_started(t2, "handle-and-answer", answer_due, unit=GAS, days=60)],
        [case.routing("co-handling-arranged", t3 := at(3), lead_unit_id=WATER,
                      assisting_unit_ids=[GAS]),
         case.routing("progress-noted", t3, unit_id=WATER, note="visited the site")],
        [case.routing("extension-approved", t4 := at(10), approver="leader-zhao", days=30,
                      reason="complex", answer_due=answer_due + days(30)),
         case.clock("extended", t4, "handle-and-answer", days=30, approved_by="leader-zhao",
                    reason="complex", due_at=answer_due + days(30))],
        [case.routing("supervision-ordered", t5 := at(1), order_id="order-1",
                      issued_by="leader-zhao", instructions="hurry", due=t5 + days(10),
                      unit_id=WATER, limit_days=10, day_count="calendar"),
         case.routing("flagged-as-key", t5, flagged_by="leader-zhao", reason="collective")],
        [case.intake("answered", t6 := at(5), unit_id=WATER, outcome="support"),
         case.clock("stopped", t6, "handle-and-answer", outcome="answered",
                    due_at=answer_due + days(30), on_time=True)],
        [case.intake("answer-delivered", at(1))],
        [case.intake("review-requested", at(10))],
        [case.intake("review-decided", at(20), reviewing_body="district office",
                     outcome="upheld")],
        [case.intake("review-decision-delivered", at(2))],
        [case.intake("closed", t7 := at(40)),
         case.routing("assignment-closed", t7, reason="case closed")],
    ]


async def view(client: httpx.AsyncClient, case_id: str, headers: dict[str, str],
               as_of: str | None = None) -> httpx.Response:
    params = {} if as_of is None else {"as_of": as_of}
    return await client.get(f"/api/v1/cases/{case_id}", headers=headers, params=params)


@pytest.mark.parametrize("version", [2, 1])
async def test_as_of_now_is_the_current_view_after_every_step(
        client: httpx.AsyncClient, settings: Settings, clock: SimulatedClock, feed: Feed,
        version: int) -> None:
    leader = auth(settings, role=Role.LEADER, subject="leader-zhao")
    case = CaseEvents()
    for step in claim_through_review(case, clock, version):
        await feed(*step)
        clock.advance(timedelta(hours=1))
        current = await view(client, case.case_id, leader)
        folded = await view(client, case.case_id, leader, clock.now().isoformat())
        assert current.status_code == folded.status_code == 200, folded.text
        assert folded.json() == current.json()
    final = current.json()
    assert final["stage"] == "closed" and final["assignment"]["status"] == "closed"
    assert len(final["clocks"]) == 3 and final["assignment"]["key_case"] is True


async def test_a_past_day_shows_who_was_responsible_the_clocks_then_and_what_was_told(
        client: httpx.AsyncClient, settings: Settings, clock: SimulatedClock,
        feed: Feed) -> None:
    leader = auth(settings, role=Role.LEADER, subject="leader-zhao")
    case = CaseEvents()
    for step in claim_through_review(case, clock):
        await feed(*step)

    # 2026-03-17: assigned to gas on 03-03, acceptance due 03-17 09:00, accepted only 03-18.
    then = (await view(client, case.case_id, leader, "2026-03-17")).json()
    assert then["as_of"] == "2026-03-17T23:59:59.999999+08:00"
    assert then["stage"] == "registered" and then["unit_id"] == GAS
    assert then["assignment"]["status"] == "assigned"
    assert then["units_involved"] == [GAS, WATER]
    assert [(k["kind"], k["condition"]) for k in then["clocks"]] == [
        ("register-and-forward", "stopped"), ("notify-acceptance", "overdue")]
    assert then["clocks"][1]["warned"] is True and then["clocks"][1]["breached"] is False
    assert then["told_to_petitioner"] == []
    assert [e["type"] for e in then["events"]][-1] == "petition.clock.warned.v1"

    # The day co-handling put water in the lead, before the extension.
    cohandled = (await view(client, case.case_id, leader, "2026-03-22")).json()
    assert cohandled["unit_id"] == WATER and cohandled["assisting_unit_ids"] == [GAS]
    assert cohandled["assignment"]["extension"] is None
    assert cohandled["clocks"][2]["condition"] == "running"

    # After the answer was delivered, before the review decision was.
    delivered = (await view(client, case.case_id, leader, "2026-04-10")).json()
    assert delivered["stage"] == "delivered"
    assert delivered["assignment"]["extension"] == {"days": 30, "approved_by": "leader-zhao"}
    assert [o["order_id"] for o in delivered["assignment"]["supervision_orders"]] == ["order-1"]
    told = delivered["told_to_petitioner"]
    assert [(t["what"], t["unit_id"], t["outcome"]) for t in told] == [
        ("answer", WATER, "support")]
    assert told[0]["told_at"] == "2026-04-07T21:00:00+08:00"

    decided = (await view(client, case.case_id, leader, "2026-05-08")).json()
    assert decided["stage"] == "review-decided"
    assert [t["what"] for t in decided["told_to_petitioner"]] == ["answer"]  # not delivered yet
    review_told = (await view(client, case.case_id, leader, "2026-05-10")).json()
    assert [(t["what"], t["by"], t["outcome"]) for t in review_told["told_to_petitioner"]] == [
        ("answer", None, "support"), ("review-decision", "district office", "upheld")]


async def test_as_of_an_instant_with_its_offset_and_a_future_one(
        client: httpx.AsyncClient, settings: Settings, clock: SimulatedClock,
        feed: Feed) -> None:
    leader = auth(settings, role=Role.LEADER, subject="leader-zhao")
    case = CaseEvents()
    steps = claim_through_review(case, clock)
    for step in steps[:2]:
        await feed(*step)
    assigned_at = steps[1][0].time
    just_before = assigned_at - timedelta(seconds=1)
    before = (await view(client, case.case_id, leader, just_before.isoformat())).json()
    assert before["assignment"]["status"] is None and before["units_involved"] == []
    utc = (await view(client, case.case_id, leader, "2026-03-03T01:00:00+00:00")).json()
    assert utc["assignment"]["status"] == "assigned"  # 09:00 in Beijing: the assignment
    assert utc["as_of"] == "2026-03-03T09:00:00+08:00"

    future = await view(client, case.case_id, leader, "2099-01-01")
    now = await view(client, case.case_id, leader)
    assert future.status_code == 200 and future.json() == now.json()  # as of now

    registered = steps[0][1].time
    assert (await view(client, case.case_id, leader,
                       (registered - days(30)).isoformat())).status_code == 404


@pytest.mark.parametrize("as_of", [
    "yesterday", "2026-13-01", "2026-02-30", "2026-03-05T10:00:00", "1999-12-31",
    "2026-03-05T10:00:00+25:00", "x" * 41, "",
])
async def test_a_malformed_as_of_is_refused(client: httpx.AsyncClient, settings: Settings,
                                             feed: Feed, clock: SimulatedClock,
                                             as_of: str) -> None:
    case = CaseEvents()
    await feed(case.registered(START))
    answer = await view(client, case.case_id, auth(settings, role=Role.LEADER), as_of)
    assert answer.status_code == 422, answer.text
    assert answer.json()["problems"][0]["field"].endswith("as_of")


async def test_as_of_is_scoped_like_the_case(client: httpx.AsyncClient, settings: Settings,
                                             feed: Feed, clock: SimulatedClock) -> None:
    case = CaseEvents()
    for step in claim_through_review(case, clock)[:2]:
        await feed(*step)
    day = "2026-03-10"
    elsewhere = auth(settings, district="haidian", role=Role.LEADER)
    stranger = auth(settings, role=Role.UNIT_HANDLER, subject="h", unit="sanitation")
    handler = auth(settings, role=Role.UNIT_HANDLER, subject="h", unit=WATER)
    for headers in (elsewhere, stranger):
        assert (await view(client, case.case_id, headers, day)).status_code == 404
    assert (await view(client, "no-such-case", auth(settings), day)).status_code == 404
    assert (await view(client, case.case_id, handler, day)).status_code == 200
    assert (await view(client, case.case_id, auth(settings, role=Role.OPERATOR), day)
            ).status_code == 403


def test_every_projected_event_is_folded() -> None:
    assert set(PROJECTIONS) <= set(FOLDS) | set(STAGE_AFTER)

