"""Repeat petitions: suggested at registration (same petitioner, same matter), listed for the
district's clerks, confirmed (and merged when possible), rejected, unmerged."""

from __future__ import annotations

from casebus.access import Role
from tests.integration.intake.helpers import (
    PETITION,
    UNIT,
    apply,
    case_accepted,
    clerk,
    reader,
    refused,
    register,
    step,
)


async def registered(client, settings, **changes):  # type: ignore[no-untyped-def]
    created = await client.post("/api/v1/petitions", json={**PETITION, **changes},
                                headers=clerk(settings))
    assert created.status_code == 201, created.text
    return created.json()


async def test_a_repeat_is_suggested_listed_confirmed_merged_and_unmerged(client,
                                                                          settings) -> None:
    first = await registered(client, settings)
    again = await registered(client, settings, description="Still no gas, a year later.",
                             subject="  gas supply NEVER connected since completion ")
    assert again["events"] == ["petition.case.registered.v2",
                               "petition.case.repeat-suggested.v1"]
    assert again["state"]["pending_repeat_of"] == first["case_id"]

    listed = (await client.get("/api/v1/repeat-suggestions", headers=clerk(settings))).json()
    assert listed["total"] == 1
    [suggestion] = listed["suggestions"]
    assert suggestion["case_id"] == again["case_id"]
    assert suggestion["repeat_of"] == first["case_id"]
    assert suggestion["matched_petitioner_ids"] == first["petitioner_ids"]
    assert suggestion["suggested_at"].endswith("+08:00")

    path = f"/api/v1/petitions/{again['case_id']}"
    confirmed = await step(client, f"{path}/repeat-suggestion/confirmation", clerk(settings))
    assert confirmed["merged"] is True and confirmed["not_merged_because"] is None
    assert confirmed["events"] == ["petition.case.repeat-confirmed.v1", "petition.case.merged.v1"]
    assert confirmed["state"]["stage"] == "merged"
    assert confirmed["state"]["merged_into"] == first["case_id"]
    assert (await client.get("/api/v1/repeat-suggestions", headers=clerk(settings))
            ).json()["total"] == 0
    await refused(client, f"{path}/repeat-suggestion/confirmation", clerk(settings),
                  "petition-merged")

    unmerged = await step(client, f"{path}/unmerge", clerk(settings),
                          {"reason": "Another building: the addresses differ."})
    assert unmerged["state"]["stage"] == "registered"
    assert unmerged["state"]["merged_into"] is None and unmerged["state"]["repeat_of"] is None
    await refused(client, f"{path}/unmerge", clerk(settings), "petition-not-merged",
                  {"reason": "again"})


async def test_pending_suggestions_are_paged_and_kept_to_the_district(client,
                                                                      settings) -> None:
    cases = [(await registered(client, settings))["case_id"] for _ in range(4)]
    first = await client.get("/api/v1/repeat-suggestions?limit=2", headers=clerk(settings))
    rest = await client.get("/api/v1/repeat-suggestions?limit=2&offset=2",
                            headers=reader(settings, Role.AUDITOR))
    assert first.json()["total"] == rest.json()["total"] == 3
    listed = [s["case_id"] for s in first.json()["suggestions"] + rest.json()["suggestions"]]
    assert listed == cases[1:]  # oldest first; the first case repeats nothing
    other = await client.get("/api/v1/repeat-suggestions", headers=clerk(settings, "haidian"))
    assert other.json() == {"total": 0, "limit": 50, "offset": 0, "suggestions": []}
    bad = await client.get("/api/v1/repeat-suggestions?limit=0", headers=clerk(settings))
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "query.limit"
    unit = await client.get("/api/v1/repeat-suggestions",
                            headers=reader(settings, Role.OPERATOR))
    assert unit.status_code == 403


async def test_a_rejected_suggestion_is_gone(client, settings) -> None:
    await registered(client, settings)
    again = (await registered(client, settings))["case_id"]
    path = f"/api/v1/petitions/{again}/repeat-suggestion/rejection"
    blank = await client.post(path, json={"reason": " "}, headers=clerk(settings))
    assert blank.status_code == 422 and blank.json()["problems"][0]["field"] == "reason"
    rejected = await step(client, path, clerk(settings), {"reason": "A different staircase."})
    assert rejected["events"] == ["petition.case.repeat-rejected.v1"]
    assert rejected["state"]["pending_repeat_of"] is None
    await refused(client, path, clerk(settings), "no-repeat-suggestion-pending",
                  {"reason": "again"})
    assert (await client.get("/api/v1/repeat-suggestions", headers=clerk(settings))
            ).json()["total"] == 0


async def test_a_repeat_accepted_by_a_unit_or_of_a_closed_case_is_confirmed_unmerged(
        app, client, settings, clock) -> None:
    await registered(client, settings)
    accepted = (await registered(client, settings))["case_id"]
    await apply(app, case_accepted(accepted, UNIT, clock.now()))
    confirmed = await step(client, f"/api/v1/petitions/{accepted}/repeat-suggestion/confirmation",
                           clerk(settings))
    assert confirmed["merged"] is False
    assert confirmed["not_merged_because"] == "merge-before-unit-acceptance"
    assert confirmed["state"]["repeat_of"] is not None and confirmed["state"]["stage"] == \
        "registered"

    parking = {"subject": "Electric bicycles block the fire lane", "category": "parking"}
    target = (await registered(client, settings, **parking))["case_id"]
    repeat = (await registered(client, settings, **parking))["case_id"]
    await step(client, f"/api/v1/petitions/{target}/non-acceptance", clerk(settings),
               {"reason": "outside-remit", "explanation": "A matter for the fire brigade."})
    kept = await step(client, f"/api/v1/petitions/{repeat}/repeat-suggestion/confirmation",
                      clerk(settings))
    assert kept["merged"] is False and kept["not_merged_because"] == "merge-target-must-be-open"


async def test_a_report_is_never_suggested_as_a_repeat(client, settings) -> None:
    await registered(client, settings)
    report = await registered(client, settings, matter_kind="report")
    assert "petition.case.repeat-suggested.v1" not in report["events"]
    assert report["state"]["pending_repeat_of"] is None


async def test_another_districts_case_answers_404(client, settings) -> None:
    await registered(client, settings)
    again = await register(client, settings)
    for path in ("repeat-suggestion/confirmation", "repeat-suggestion/rejection", "unmerge"):
        answer = await client.post(f"/api/v1/petitions/{again}/{path}", json={"reason": "x"}
                                   if path != "repeat-suggestion/confirmation" else {},
                                   headers=clerk(settings, "haidian"))
        assert answer.status_code == 404, path
