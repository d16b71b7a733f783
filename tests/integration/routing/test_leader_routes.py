"""A leader's commands: decide extensions, issue supervision orders, escalate, flag key cases."""

from __future__ import annotations

from datetime import timedelta

from casebus.calendars import CalendarBook
from casebus.domain.deadlines import DayCount, Limit, due_at
from casebus.domain.extension_rules import extended_due

from .conftest import T0, clerk, leader, local, new_case, stream_types, unit


async def accepted_with_request(app, client, settings, days: int = 30) -> str:  # type: ignore[no-untyped-def]
    case_id = await new_case(app)
    gas = unit(settings, "gas-company")
    assert (await client.post(f"/api/v1/assignments/{case_id}/acceptance",
                              headers=gas)).status_code == 200
    asked = await client.post(f"/api/v1/assignments/{case_id}/extension-request",
                              json={"days": days, "reason": "an expert appraisal"}, headers=gas)
    assert asked.status_code == 200, asked.text
    return case_id


async def test_an_approval_extends_the_answer_as_the_clock_counts_it(app, client, settings,
                                                                    clock) -> None:
    case_id = await accepted_with_request(app, client, settings)
    clock.advance(timedelta(days=30))
    answer = await client.post(f"/api/v1/assignments/{case_id}/extension-request/approval",
                               headers=leader(settings))
    assert answer.status_code == 200, answer.text
    [approved] = answer.json()["events"]
    assert (approved["approver"], approved["days"]) == ("leader-zhao", 30)
    calendar = await CalendarBook(app.state.routing.pool).calendar("chaoyang")
    expected = extended_due(T0, Limit(60, DayCount.CALENDAR), 30, calendar)
    # The original period ends with Wed 6 May (after the May holidays); 30 more: Fri 5 Jun.
    assert expected == local(2026, 6, 6, 0)
    state = answer.json()["state"]
    assert state["answer_due"] == "2026-06-06T00:00:00+08:00"
    assert state["extension"]["granted"] == {
        "days": 30, "approver": "leader-zhao", "reason": "an expert appraisal",
        "answer_due": "2026-06-06T00:00:00+08:00"}
    again = await client.post(f"/api/v1/assignments/{case_id}/extension-request/approval",
                              json={"approver": "head of the gas company"},
                              headers=leader(settings))
    assert (again.status_code, again.json()["rule"]) == (409, "approve-only-pending-extension")


async def test_an_approval_at_the_deadline_is_refused_and_a_refusal_lets_the_unit_ask_again(
        app, client, settings, clock) -> None:
    case_id = await accepted_with_request(app, client, settings)
    clock.advance(local(2026, 5, 7, 0) - T0)  # the answer is due now
    late = await client.post(f"/api/v1/assignments/{case_id}/extension-request/approval",
                             json={"approver": "head of the gas company"},
                             headers=leader(settings))
    assert (late.status_code, late.json()["rule"]) == (409, "extend-before-due")
    blank = await client.post(f"/api/v1/assignments/{case_id}/extension-request/approval",
                              json={"approver": "   "}, headers=leader(settings))
    assert blank.status_code == 422
    refused = await client.post(f"/api/v1/assignments/{case_id}/extension-request/refusal",
                                json={"reason": "too late"}, headers=leader(settings))
    assert refused.status_code == 200, refused.text
    assert refused.json()["state"]["extension"] == {"pending": None, "granted": None}
    by_unit = await client.post(f"/api/v1/assignments/{case_id}/extension-request/refusal",
                                json={"reason": "no"}, headers=unit(settings, "gas-company"))
    assert by_unit.status_code == 403


async def test_a_supervision_order_has_its_own_counted_due_instant(app, client, settings) -> None:
    case_id = await new_case(app)
    headers = {**leader(settings), "Idempotency-Key": "order-1"}
    body = {"instructions": "Report the connection plan", "limit_days": 5}
    answer = await client.post(f"/api/v1/assignments/{case_id}/supervision-orders", json=body,
                               headers=headers)
    assert answer.status_code == 200, answer.text
    calendar = await CalendarBook(app.state.routing.pool).calendar("chaoyang")
    assert due_at(T0, Limit(5, DayCount.WORKING), calendar) == local(2026, 3, 10, 0)
    assert (answer.json()["unit_id"], answer.json()["due"]) == (
        "gas-company", "2026-03-10T00:00:00+08:00")
    [event] = answer.json()["events"]
    assert (event["limit_days"], event["day_count"], event["unit_id"]) == (5, "working",
                                                                          "gas-company")
    replay = await client.post(f"/api/v1/assignments/{case_id}/supervision-orders", json=body,
                               headers=headers)
    assert replay.json()["order_id"] == answer.json()["order_id"]
    assert replay.headers.get("idempotent-replayed") == "true"
    by_calendar = await client.post(
        f"/api/v1/assignments/{case_id}/supervision-orders", headers=leader(settings),
        json={**body, "limit_days": 7, "day_count": "calendar", "unit_id": "dingjia-committee"})
    # 7 calendar days: Mon 9 Mar (7 working days would run to Wed 11 Mar).
    assert (by_calendar.json()["unit_id"], by_calendar.json()["due"]) == (
        "dingjia-committee", "2026-03-10T00:00:00+08:00")
    assert len(by_calendar.json()["state"]["supervision_orders"]) == 2
    unknown = await client.post(f"/api/v1/assignments/{case_id}/supervision-orders",
                                json={**body, "unit_id": "water-company"},
                                headers=leader(settings))
    assert (unknown.status_code, unknown.json()["rule"]) == (409, "unit-known")
    off_case = await client.post(f"/api/v1/assignments/{case_id}/supervision-orders",
                                 json={**body, "unit_id": "urban-management"},
                                 headers=leader(settings))
    assert (off_case.status_code, off_case.json()["rule"]) == (
        409, "supervision-of-a-unit-on-the-case")
    bad = await client.post(f"/api/v1/assignments/{case_id}/supervision-orders",
                            json={**body, "limit_days": 0, "day_count": "lunar"},
                            headers=leader(settings))
    assert bad.status_code == 422
    assert {p["field"] for p in bad.json()["problems"]} == {"limit_days", "day_count"}
    other = await client.post(f"/api/v1/assignments/{case_id}/supervision-orders", json=body,
                              headers=leader(settings, district="haidian"))
    assert other.status_code == 404
    assert (await stream_types(app, case_id)).count("petition.case.supervision-ordered.v1") == 2


async def test_escalation_goes_to_a_unit_of_the_level_above(app, client, settings) -> None:
    case_id = await new_case(app)  # gas in Dingjia: handled at the community level
    url = f"/api/v1/assignments/{case_id}/escalation"
    sideways = await client.post(url, json={"unit_id": "lakeside-property", "reason": "x"},
                                 headers=leader(settings))
    assert (sideways.status_code, sideways.json()["rule"]) == (
        409, "escalate-to-unit-at-level-above")
    unknown = await client.post(url, json={"unit_id": "district-bureau", "reason": "x"},
                                headers=leader(settings))
    assert (unknown.status_code, unknown.json()["rule"]) == (409, "unit-known")
    up = await client.post(url, json={"unit_id": "housing-construction",
                                      "reason": "collective petition of 40 households"},
                           headers=leader(settings))
    assert up.status_code == 200, up.text
    [escalated] = up.json()["events"]
    assert (escalated["from_level"], escalated["to_level"]) == ("community", "street")
    assert (up.json()["state"]["level"], up.json()["state"]["lead_unit"]) == (
        "street", "housing-construction")
    by_clerk = await client.post(url, json={"unit_id": "housing-construction", "reason": "x"},
                                 headers=clerk(settings))
    assert by_clerk.status_code == 403


async def test_a_case_is_flagged_as_key_once(app, client, settings) -> None:
    case_id = await new_case(app)
    url = f"/api/v1/assignments/{case_id}/key-case-flag"
    flagged = await client.post(url, json={"reason": "ten years unresolved"},
                                headers=leader(settings))
    assert flagged.status_code == 200, flagged.text
    assert flagged.json()["state"]["key_case"] == {
        "flagged_by": "leader-zhao", "reason": "ten years unresolved",
        "at": "2026-03-02T10:00:00+08:00"}
    again = await client.post(url, json={"reason": "still"}, headers=leader(settings))
    assert (again.status_code, again.json()["rule"]) == (409, "key-case-flagged-once")
    assert (await client.post(url, json={}, headers=leader(settings))).status_code == 422
