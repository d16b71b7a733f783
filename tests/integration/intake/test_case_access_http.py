"""Every command on a case, checked alike: another district's case and a missing case answer
404 (the same way), roles outside the office get 403, an invalid body gets 422 naming the
field, and nothing is recorded by any of them."""

from __future__ import annotations

from typing import Any

import pytest

from casebus.access import Role
from tests.integration.intake.helpers import (
    accepted_case,
    clerk,
    count_events,
    reader,
    unit_handler,
)

REASON = {"reason": "The answer ignores the contract."}
# path under /api/v1/petitions/{case_id}, a valid body, an invalid one and the field it names
OFFICE_COMMANDS: list[tuple[str, dict[str, Any], dict[str, Any] | None, str | None]] = [
    ("classification", {"matter_kind": "suggestion", "reason": "x"},
     {"matter_kind": "suggestion", "reason": ""}, "reason"),
    ("non-acceptance", {"reason": "litigation", "explanation": "x"},
     {"reason": "litigation"}, "explanation"),
    ("repeat-suggestion/confirmation", {}, None, None),
    ("repeat-suggestion/rejection", REASON, {"reason": 3}, "reason"),
    ("unmerge", REASON, {}, "reason"),
    ("delivery", {}, None, None),
    ("evaluations", {"evaluator": "petition-office", "satisfaction": "satisfied"},
     {"evaluator": "petition-office", "satisfaction": "delighted"}, "satisfaction"),
    ("evaluation-lapse", {}, None, None),
    ("review", REASON, {"reason": "x" * 4001}, "reason"),
    ("review/decision", {"reviewing_body": "street", "outcome": "upheld", "summary": "x"},
     {"reviewing_body": "street", "outcome": "quashed", "summary": "x"}, "outcome"),
    ("review/decision/delivery", {}, None, None),
    ("reexamination", REASON, {"why": "x"}, "reason"),
    ("reexamination/hearing", {}, None, None),
    ("reexamination/hearing/end", {}, None, None),
    ("reexamination/decision", {"reexamining_body": "district", "outcome": "upheld",
                                "summary": "x"},
     {"reexamining_body": "", "outcome": "upheld", "summary": "x"}, "reexamining_body"),
    ("closure", {}, None, None),
]
PATHS = [c[0] for c in OFFICE_COMMANDS]


@pytest.fixture
async def case_id(app, client, settings, clock) -> str:  # type: ignore[no-untyped-def]
    return await accepted_case(app, client, settings, clock)


@pytest.mark.parametrize(("path", "body", "invalid", "field"), OFFICE_COMMANDS, ids=PATHS)
async def test_office_commands_guard_their_case(client, settings, case_id, path, body,
                                                invalid, field) -> None:
    before = await count_events(settings, case_id)
    url = f"/api/v1/petitions/{case_id}/{path}"
    elsewhere = await client.post(url, json=body, headers=clerk(settings, "haidian"))
    missing = await client.post(f"/api/v1/petitions/20990101-nosuchcase/{path}", json=body,
                                headers=clerk(settings))
    assert elsewhere.status_code == missing.status_code == 404
    for role in (Role.AUDITOR, Role.OPERATOR):
        assert (await client.post(url, json=body, headers=reader(settings, role))
                ).status_code == 403
    assert (await client.post(url, json=body, headers=unit_handler(settings))).status_code == 403
    if invalid is not None:
        answer = await client.post(url, json=invalid, headers=clerk(settings))
        assert answer.status_code == 422, answer.text
        assert field in [p["field"] for p in answer.json()["problems"]]
    assert await count_events(settings, case_id) == before


async def test_reading_a_case_is_for_case_readers_of_its_district(client, settings,
                                                                  case_id) -> None:
    url = f"/api/v1/petitions/{case_id}"
    for role in (Role.CLERK, Role.LEADER, Role.AUDITOR):
        read = await client.get(url, headers=reader(settings, role))
        assert read.status_code == 200
        assert read.json()["state"]["accepting_unit"] == "gas-company"
    for role in (Role.OPERATOR, Role.UNIT_HANDLER):
        headers = unit_handler(settings) if role is Role.UNIT_HANDLER else reader(settings, role)
        assert (await client.get(url, headers=headers)).status_code == 403
    other = await client.get(url, headers=reader(settings, Role.LEADER, "haidian"))
    assert other.status_code == 404 and other.json()["detail"] == f"no case {case_id}"
