"""Routing's reactions to intake's events: assign, close, reopen; every one idempotent and
tolerant (nothing a valid event brings is dead-lettered)."""

from __future__ import annotations

import pytest

from services.routing.service_layer.intake_reactions import CLOSING_REASONS

from .conftest import T0, clerk, feed, intake_event, local, new_case, registered, stream_types


async def test_a_registered_petition_is_assigned_with_its_rule_and_deadlines(
        app, client, settings) -> None:
    case_id = await new_case(app)
    answer = await client.get(f"/api/v1/assignments/{case_id}", headers=clerk(settings))
    assert answer.status_code == 200, answer.text
    state = answer.json()["state"]
    assert (state["status"], state["lead_unit"], state["assisting_units"]) == (
        "assigned", "gas-company", ["dingjia-committee"])
    assert (state["rule_id"], state["rules_version"], state["level"]) == ("gas-dingjia", 1,
                                                                          "community")
    assert state["explanation"].startswith("rule gas-dingjia: category=gas matched")
    assert state["assigned_at"] == "2026-03-02T10:00:00+08:00"
    assert state["acceptance_due"] == "2026-03-18T00:00:00+08:00"  # 15 days: Tue 17 Mar
    assert state["return_deadline"] == "2026-03-10T00:00:00+08:00"  # 5 working days: Mon 9
    [assigned] = answer.json()["events"]
    assert (assigned["type"], assigned["community"]) == ("petition.case.assigned.v1", "Dingjia")


async def test_a_redelivered_registration_assigns_once(app) -> None:
    event = registered("case-twice")
    await feed(app, event)
    await feed(app, event)
    await feed(app, registered("case-twice"))  # the same fact under another event id
    assert await stream_types(app, "case-twice") == ["petition.case.assigned.v1"]


async def test_reports_and_districts_without_rules_are_skipped_not_refused(app) -> None:
    await feed(app, registered("case-report", matter_kind="report", petitioner_ids=[]))
    await feed(app, registered("case-nowhere", district="tongzhou"))
    assert await stream_types(app, "case-report") == []
    assert await stream_types(app, "case-nowhere") == []


@pytest.mark.parametrize(("wire_type", "data", "reason"), [
    ("petition.case.not-accepted.v1", {"reason": "litigation", "guided_to": "court"},
     "not accepted as a petition (litigation)"),
    ("petition.case.merged.v1", {"into_case_id": "case-0", "clerk_id": "wang"},
     "merged into case case-0"),
    ("petition.case.closed.v1", {}, "case closed"),
    ("petition.case.withdrawn.v1", {}, "petition withdrawn"),
    ("petition.case.transferred-to-discipline-inspection.v1",
     {"body": "district commission for discipline inspection", "clerk_id": "wang"},
     "transferred to the discipline inspection body district commission for discipline "
     "inspection"),
])
async def test_a_conclusion_closes_the_open_assignment_once(
        app, client, settings, wire_type, data, reason) -> None:
    assert wire_type in CLOSING_REASONS
    case_id = await new_case(app)
    await feed(app, intake_event(wire_type, case_id, at=T0, **data))
    await feed(app, intake_event(wire_type, case_id, at=T0, **data))  # again: nothing new
    await feed(app, intake_event(wire_type, "case-never-assigned", at=T0, **data))
    assert await stream_types(app, case_id) == ["petition.case.assigned.v1",
                                                "petition.case.assignment-closed.v1"]
    answer = await client.get(f"/api/v1/assignments/{case_id}", headers=clerk(settings))
    assert answer.json()["state"]["status"] == "closed"
    assert answer.json()["events"][-1]["reason"] == reason
    assert await stream_types(app, "case-never-assigned") == []


async def test_an_unmerged_case_reopens_on_a_fresh_decision(app, client, settings,
                                                            clock) -> None:
    case_id = await new_case(app)
    await feed(app, intake_event("petition.case.merged.v1", case_id, at=T0,
                                 into_case_id="case-0", clerk_id="wang"))
    clock.advance(local(2026, 3, 9) - T0)
    unmerged = intake_event("petition.case.unmerged.v1", case_id, at=local(2026, 3, 9),
                            from_case_id="case-0", clerk_id="wang")
    await feed(app, unmerged)
    await feed(app, unmerged)  # redelivered: already open, nothing happens
    assert await stream_types(app, case_id) == [
        "petition.case.assigned.v1", "petition.case.assignment-closed.v1",
        "petition.case.reopened.v1"]
    answer = await client.get(f"/api/v1/assignments/{case_id}", headers=clerk(settings))
    state = answer.json()["state"]
    assert (state["status"], state["lead_unit"], state["rule_id"]) == (
        "assigned", "gas-company", "gas-dingjia")
    assert state["acceptance_due"] == "2026-03-25T00:00:00+08:00"  # 15 days from Mon 9 Mar
    reopened = answer.json()["events"][-1]
    assert reopened["reason"] == "un-merged from case case-0"
    assert reopened["rules_version"] == 1


async def test_an_unmerge_without_a_closed_assignment_is_skipped(app) -> None:
    case_id = await new_case(app)
    await feed(app, intake_event("petition.case.unmerged.v1", case_id, at=T0,
                                 from_case_id="case-0", clerk_id="wang"))
    await feed(app, intake_event("petition.case.unmerged.v1", "case-unknown", at=T0,
                                 from_case_id="case-0", clerk_id="wang"))
    assert await stream_types(app, case_id) == ["petition.case.assigned.v1"]
    assert await stream_types(app, "case-unknown") == []
