"""A unit handler's commands: accept, return (re-routed at once), ask for an extension, note
progress. Only cases involving the unit are visible; only the holding unit may act."""

from __future__ import annotations

from datetime import timedelta

from casebus.access import Role
from tests.integration.service_app import auth

from .conftest import T0, clerk, local, new_case, stream_types, unit


async def test_the_holding_unit_accepts_and_the_answer_clock_starts(app, client,
                                                                    settings) -> None:
    case_id = await new_case(app)
    answer = await client.post(f"/api/v1/assignments/{case_id}/acceptance",
                               headers=unit(settings, "gas-company"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    [accepted] = body["events"]
    assert (accepted["type"], accepted["unit_id"]) == ("petition.case.accepted.v1",
                                                       "gas-company")
    # 60 days from Mon 2 Mar end on Fri 1 May, a holiday (1-5 May): rolled to Wed 6 May.
    assert body["state"]["answer_due"] == "2026-05-07T00:00:00+08:00"
    assert body["state"]["status"] == "accepted"
    again = await client.post(f"/api/v1/assignments/{case_id}/acceptance",
                              headers=unit(settings, "gas-company"))
    assert again.status_code == 409
    assert again.json()["rule"] == "accept-only-once"


async def test_a_retried_acceptance_with_its_key_is_answered_again_and_changes_nothing(
        app, client, settings) -> None:
    case_id = await new_case(app)
    headers = {**unit(settings, "gas-company"), "Idempotency-Key": "accept-1"}
    first = await client.post(f"/api/v1/assignments/{case_id}/acceptance", headers=headers)
    replay = await client.post(f"/api/v1/assignments/{case_id}/acceptance", headers=headers)
    assert (first.status_code, replay.status_code) == (200, 200)
    assert replay.headers.get("idempotent-replayed") == "true"
    assert "idempotent-replayed" not in first.headers
    assert replay.json() == first.json()
    assert (await stream_types(app, case_id)).count("petition.case.accepted.v1") == 1


async def test_a_case_not_involving_the_unit_or_of_another_district_answers_404(
        app, client, settings) -> None:
    case_id = await new_case(app)
    strangers = (unit(settings, "urban-management"),
                 unit(settings, "gas-company", district="haidian"))
    for headers in (*strangers, clerk(settings, district="haidian")):
        read = await client.get(f"/api/v1/assignments/{case_id}", headers=headers)
        assert read.status_code == 404, headers
    for headers in strangers:
        act = await client.post(f"/api/v1/assignments/{case_id}/progress-notes",
                                json={"note": "x"}, headers=headers)
        assert act.status_code == 404
        assert act.json()["detail"] == f"no case {case_id}"  # exactly as a missing case
    missing = await client.post("/api/v1/assignments/case-missing/acceptance",
                                headers=unit(settings, "gas-company"))
    assert missing.status_code == 404
    # The assisting unit sees the case but may not act for the lead unit.
    assisting = unit(settings, "dingjia-committee")
    assert (await client.get(f"/api/v1/assignments/{case_id}",
                             headers=assisting)).status_code == 200
    refused = await client.post(f"/api/v1/assignments/{case_id}/acceptance", headers=assisting)
    assert (refused.status_code, refused.json()["rule"]) == (409, "only-assigned-unit-may-act")
    auditor = auth(settings, role=Role.AUDITOR, subject="audit-li")
    assert (await client.post(f"/api/v1/assignments/{case_id}/acceptance",
                              headers=auditor)).status_code == 403


async def test_a_return_reroutes_at_once_to_the_next_rule_whose_unit_did_not_return_it(
        app, client, settings) -> None:
    case_id = await new_case(app, category="property", community="Lakeside Garden")
    answer = await client.post(f"/api/v1/assignments/{case_id}/return",
                               json={"reason": "pipes belong to the building, not us"},
                               headers=unit(settings, "lakeside-property"))
    assert answer.status_code == 200, answer.text
    returned, rerouted = answer.json()["events"]
    assert returned["type"] == "petition.case.returned.v1"
    assert (rerouted["type"], rerouted["unit_id"], rerouted["rule_id"]) == (
        "petition.case.rerouted.v1", "housing-construction", "property-any")
    assert "skipped rule property-lakeside: unit lakeside-property returned the case" in (
        rerouted["explanation"])
    state = answer.json()["state"]
    assert (state["status"], state["lead_unit"], state["returned_by"]) == (
        "assigned", "housing-construction", ["lakeside-property"])
    # The unit that returned it still sees the case it held, and can no longer act on it.
    held = await client.get(f"/api/v1/assignments/{case_id}",
                            headers=unit(settings, "lakeside-property"))
    assert held.status_code == 200


async def test_when_the_fallback_unit_returns_it_the_office_transfers_it(
        app, client, settings) -> None:
    case_id = await new_case(app)  # gas in Dingjia: gas company, then the street office
    first = await client.post(f"/api/v1/assignments/{case_id}/return",
                              json={"reason": "inside pipes are not ours"},
                              headers=unit(settings, "gas-company"))
    assert first.json()["state"]["lead_unit"] == "beiyuan-petition-office"
    last = await client.post(f"/api/v1/assignments/{case_id}/return",
                             json={"reason": "needs a department"},
                             headers=unit(settings, "beiyuan-petition-office"))
    assert [e["type"] for e in last.json()["events"]] == ["petition.case.returned.v1"]
    assert last.json()["state"]["status"] == "returned"
    unknown = await client.post(f"/api/v1/assignments/{case_id}/transfer",
                                json={"to_unit_id": "water-company", "reason": "water"},
                                headers=clerk(settings))
    assert (unknown.status_code, unknown.json()["rule"]) == (409, "unit-known")
    moved = await client.post(f"/api/v1/assignments/{case_id}/transfer",
                              json={"to_unit_id": "housing-construction",
                                    "reason": "the building's pipes are housing's"},
                              headers=clerk(settings))
    assert moved.status_code == 200, moved.text
    assert (moved.json()["state"]["status"], moved.json()["state"]["lead_unit"]) == (
        "assigned", "housing-construction")
    blank = await client.post(f"/api/v1/assignments/{case_id}/transfer",
                              json={"to_unit_id": "gas-company", "reason": "  "},
                              headers=clerk(settings))
    assert blank.status_code == 422
    assert [p["field"] for p in blank.json()["problems"]] == ["reason"]
    by_unit = await client.post(f"/api/v1/assignments/{case_id}/transfer",
                                json={"to_unit_id": "gas-company", "reason": "x"},
                                headers=unit(settings, "housing-construction"))
    assert by_unit.status_code == 403


async def test_a_return_after_five_working_days_is_refused(app, client, settings,
                                                           clock) -> None:
    case_id = await new_case(app)
    clock.advance(local(2026, 3, 10, 0) - T0)  # Mon 2 Mar + 5 working days: end of Mon 9 Mar
    late = await client.post(f"/api/v1/assignments/{case_id}/return",
                             json={"reason": "not ours"}, headers=unit(settings, "gas-company"))
    assert (late.status_code, late.json()["rule"]) == (409, "return-within-5-working-days")
    missing = await client.post(f"/api/v1/assignments/{case_id}/return", json={},
                                headers=unit(settings, "gas-company"))
    assert missing.status_code == 422
    assert await stream_types(app, case_id) == ["petition.case.assigned.v1"]


async def test_extension_requests_are_checked_by_the_domain(app, client, settings,
                                                            clock) -> None:
    case_id = await new_case(app)
    gas = unit(settings, "gas-company")
    early = await client.post(f"/api/v1/assignments/{case_id}/extension-request",
                              json={"days": 10, "reason": "appraisal"}, headers=gas)
    assert (early.status_code, early.json()["rule"]) == (409, "extension-only-after-acceptance")
    await client.post(f"/api/v1/assignments/{case_id}/acceptance", headers=gas)
    clock.advance(timedelta(days=20))
    too_long = await client.post(f"/api/v1/assignments/{case_id}/extension-request",
                                 json={"days": 31, "reason": "appraisal"}, headers=gas)
    assert (too_long.status_code, too_long.json()["rule"]) == (409, "extension-at-most-30-days")
    bad = await client.post(f"/api/v1/assignments/{case_id}/extension-request",
                            json={"days": "many", "reason": ""}, headers=gas)
    assert bad.status_code == 422
    assert {p["field"] for p in bad.json()["problems"]} == {"days", "reason"}
    asked = await client.post(f"/api/v1/assignments/{case_id}/extension-request",
                              json={"days": 30, "reason": "an expert appraisal"}, headers=gas)
    assert asked.status_code == 200, asked.text
    assert asked.json()["state"]["extension"]["pending"] == {
        "unit_id": "gas-company", "days": 30, "reason": "an expert appraisal"}


async def test_the_holding_unit_notes_progress(app, client, settings) -> None:
    case_id = await new_case(app)
    gas = unit(settings, "gas-company")
    noted = await client.post(f"/api/v1/assignments/{case_id}/progress-notes",
                              json={"note": "  pipes surveyed  "}, headers=gas)
    assert noted.status_code == 200, noted.text
    assert noted.json()["state"]["progress_notes"] == [
        {"unit_id": "gas-company", "note": "pipes surveyed", "at": "2026-03-02T10:00:00+08:00"}]
    assert noted.json()["events"][0]["type"] == "petition.case.progress-noted.v1"
    blank = await client.post(f"/api/v1/assignments/{case_id}/progress-notes",
                              json={"note": " "}, headers=gas)
    assert blank.status_code == 422
    by_assisting = await client.post(f"/api/v1/assignments/{case_id}/progress-notes",
                                     json={"note": "we help"},
                                     headers=unit(settings, "dingjia-committee"))
    assert (by_assisting.status_code, by_assisting.json()["rule"]) == (
        409, "only-assigned-unit-may-act")
