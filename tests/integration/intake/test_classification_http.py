"""Classified handling over HTTP: a report leaves for discipline inspection and its accuser is
shown to no one; reclassifying; not accepting a petition and guiding it to a legal channel."""

from __future__ import annotations

import json

import asyncpg

from casebus.access import Role
from services.intake.service_layer.views import WITHHELD
from tests.integration.intake.helpers import (
    PERSONAL,
    PETITION,
    accepted_case,
    clerk,
    reader,
    refused,
    register,
    step,
)

TRANSFER = "petition.case.transferred-to-discipline-inspection.v1"
ACCUSATION = {"matter_kind": "report", "category": "integrity",
              "subject": "Community director takes money for housing subsidies"}


async def outbox(settings) -> list[dict]:  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(settings.database_url)
    try:
        rows = await conn.fetch("SELECT message::text FROM outbox ORDER BY position")
    finally:
        await conn.close()
    return [json.loads(r["message"]) for r in rows]


async def test_a_report_goes_to_discipline_inspection_and_hides_its_accuser(client,
                                                                            settings) -> None:
    created = await client.post("/api/v1/petitions", json={**PETITION, **ACCUSATION},
                                headers=clerk(settings))
    assert created.status_code == 201, created.text
    body = created.json()
    case_id, [accuser] = body["case_id"], body["petitioner_ids"]
    assert body["events"] == ["petition.case.registered.v2", TRANSFER]
    assert body["state"]["stage"] == "transferred"
    assert body["state"]["transferred_to"] == "discipline inspection and supervision body"

    for role in (Role.CLERK, Role.LEADER, Role.AUDITOR):
        read = await client.get(f"/api/v1/petitions/{case_id}", headers=reader(settings, role))
        assert read.status_code == 200
        text = read.text
        for secret in (*PERSONAL, accuser):
            assert secret not in text, (role, secret)
        registered = read.json()["events"][0]
        assert registered["petitioners"] == registered["description"] == WITHHELD
        assert registered["petitioner_ids"] == [] and registered["petitioner_count"] == 1

    messages = await outbox(settings)
    assert [m["type"] for m in messages] == ["petition.case.registered.v2", TRANSFER]
    assert messages[0]["data"]["petitioner_ids"] == []
    assert messages[0]["data"]["matter_kind"] == "report"
    assert messages[1]["data"]["body"] == "discipline inspection and supervision body"
    wire = json.dumps(messages)
    for secret in (*PERSONAL, accuser):
        assert secret not in wire


async def test_a_claim_reclassified_as_a_report_is_transferred_and_withheld(client,
                                                                            settings) -> None:
    case_id = await register(client, settings)
    path = f"/api/v1/petitions/{case_id}/classification"
    reason = "The letter is about the director's bribes, not the gas."
    changed = await step(client, path, clerk(settings), {"matter_kind": "report",
                                                         "reason": reason})
    assert changed["events"] == ["petition.case.reclassified.v1", TRANSFER]
    assert changed["state"]["matter_kind"] == "report"
    read = (await client.get(f"/api/v1/petitions/{case_id}", headers=clerk(settings))).text
    for secret in (*PERSONAL, reason):
        assert secret not in read
    reclassified = (await outbox(settings))[1]
    assert reclassified["data"]["from_kind"] == "claim"
    assert reclassified["data"]["to_kind"] == "report" and "reason" not in reclassified["data"]
    await refused(client, path, clerk(settings), "petition-transferred",
                  {"matter_kind": "claim", "reason": "a mistake"})


async def test_reclassifying_is_refused_once_a_unit_accepted(app, client, settings,
                                                             clock) -> None:
    case_id = await register(client, settings)
    path = f"/api/v1/petitions/{case_id}/classification"
    await refused(client, path, clerk(settings), "reclassify-to-another-kind",
                  {"matter_kind": "claim", "reason": "It is a claim."})
    suggestion = await step(client, path, reader(settings, Role.LEADER),
                            {"matter_kind": "suggestion", "reason": "It proposes a change."})
    assert suggestion["state"]["matter_kind"] == "suggestion"
    accepted = await accepted_case(app, client, settings, clock)
    await refused(client, f"/api/v1/petitions/{accepted}/classification", clerk(settings),
                  "reclassify-before-unit-acceptance",
                  {"matter_kind": "suggestion", "reason": "It proposes a change."})


async def test_classification_input_errors_roles_and_districts(client, settings) -> None:
    case_id = await register(client, settings)
    path = f"/api/v1/petitions/{case_id}/classification"
    bad = await client.post(path, json={"matter_kind": "rumour", "reason": "x"},
                            headers=clerk(settings))
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "matter_kind"
    missing = await client.post(path, json={"matter_kind": "report"}, headers=clerk(settings))
    assert missing.status_code == 422 and missing.json()["problems"][0]["field"] == "reason"
    body = {"matter_kind": "report", "reason": "x"}
    auditor = await client.post(path, json=body, headers=reader(settings, Role.AUDITOR))
    assert auditor.status_code == 403
    elsewhere = await client.post(path, json=body, headers=clerk(settings, "haidian"))
    assert elsewhere.status_code == 404
    still = (await client.get(f"/api/v1/petitions/{case_id}", headers=clerk(settings))).json()
    assert still["state"]["matter_kind"] == "claim"


async def test_a_litigation_claim_is_not_accepted_and_guided_to_the_court(app, client, settings,
                                                                          clock) -> None:
    case_id = await register(client, settings)
    path = f"/api/v1/petitions/{case_id}/non-acceptance"
    invalid = await client.post(path, json={"reason": "boredom", "explanation": "x"},
                                headers=clerk(settings))
    assert invalid.status_code == 422 and invalid.json()["problems"][0]["field"] == "reason"
    elsewhere = await client.post(path, json={"reason": "litigation", "explanation": "x"},
                                  headers=clerk(settings, "haidian"))
    assert elsewhere.status_code == 404
    guided = await step(client, path, clerk(settings),
                        {"reason": "litigation", "explanation": "The deposit case is in court."})
    assert guided["events"] == ["petition.case.not-accepted.v1"]
    assert guided["state"]["stage"] == "not-accepted"
    assert guided["state"]["guided_to"] == "people's court"
    assert guided["state"]["not_accepted_reason"] == "litigation"

    suggestion = await register(client, settings, matter_kind="suggestion")
    await refused(client, f"/api/v1/petitions/{suggestion}/non-acceptance", clerk(settings),
                  "legal-channel-only-for-claims",
                  {"reason": "litigation", "explanation": "x"})
    accepted = await accepted_case(app, client, settings, clock)
    await refused(client, f"/api/v1/petitions/{accepted}/non-acceptance", clerk(settings),
                  "not-accepted-before-unit-acceptance",
                  {"reason": "arbitration", "explanation": "x"})
