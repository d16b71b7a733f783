"""Only a unit handler answers, only for the unit that accepted the case, and no answer a unit
handler receives holds personal data."""

from __future__ import annotations

import json
from datetime import timedelta

from casebus.access import Role
from tests.integration.intake.helpers import (
    PERSONAL,
    UNIT,
    accepted_case,
    apply,
    case_accepted,
    clerk,
    count_events,
    reader,
    refused,
    register,
    step,
    unit_handler,
)

ANSWER = {"outcome": "support", "summary": "The gas company connects building 3 by June."}


async def test_the_accepting_unit_answers_and_learns_nothing_personal(app, client, settings,
                                                                      clock) -> None:
    case_id = await accepted_case(app, client, settings, clock)
    answered = await step(client, f"/api/v1/petitions/{case_id}/answer", unit_handler(settings),
                          ANSWER)
    assert answered["events"] == ["petition.case.answered.v1"]
    assert answered["state"]["answer_outcome"] == "support"
    text = json.dumps(answered)
    for secret in PERSONAL:
        assert secret not in text
    assert "petitioner_ids" not in text and "Gas supply never" in text  # the subject is public
    # A unit handler reads no case through intake: the case record holds personal data.
    denied = await client.get(f"/api/v1/petitions/{case_id}", headers=unit_handler(settings))
    assert denied.status_code == 403


async def test_only_unit_handlers_answer(app, client, settings, clock) -> None:
    case_id = await accepted_case(app, client, settings, clock)
    for role in (Role.CLERK, Role.LEADER, Role.AUDITOR):
        answer = await client.post(f"/api/v1/petitions/{case_id}/answer", json=ANSWER,
                                   headers=reader(settings, role))
        assert answer.status_code == 403


async def test_another_unit_cannot_answer(app, client, settings, clock) -> None:
    case_id = await accepted_case(app, client, settings, clock, unit="urban-management")
    path = f"/api/v1/petitions/{case_id}/answer"
    # A unit that never accepted the case does not learn it exists.
    stranger = await client.post(path, json=ANSWER, headers=unit_handler(settings))
    missing = await client.post("/api/v1/petitions/20990101-nosuchcase/answer", json=ANSWER,
                                headers=unit_handler(settings))
    assert stranger.status_code == missing.status_code == 404
    assert stranger.json()["detail"] == f"no case {case_id}"
    # After a transfer the earlier unit still knows the case, but only the last one answers.
    await apply(app, case_accepted(case_id, UNIT, clock.advance(timedelta(hours=1))))
    await refused(client, path, unit_handler(settings, "urban-management"),
                  "answer-by-accepting-unit", ANSWER)
    before = await count_events(settings, case_id)
    await step(client, path, unit_handler(settings), ANSWER)
    assert await count_events(settings, case_id) == before + 1


async def test_a_case_no_unit_accepted_is_not_answered(client, settings) -> None:
    case_id = await register(client, settings)
    answer = await client.post(f"/api/v1/petitions/{case_id}/answer", json=ANSWER,
                               headers=unit_handler(settings))
    assert answer.status_code == 404


async def test_a_unit_of_another_district_gets_404(app, client, settings, clock) -> None:
    case_id = await accepted_case(app, client, settings, clock)
    answer = await client.post(f"/api/v1/petitions/{case_id}/answer", json=ANSWER,
                               headers=unit_handler(settings, district="haidian"))
    assert answer.status_code == 404
    assert (await client.get(f"/api/v1/petitions/{case_id}", headers=clerk(settings))
            ).json()["state"]["answer_outcome"] is None


async def test_an_answer_with_a_bad_outcome_or_no_summary_is_422(app, client, settings,
                                                                 clock) -> None:
    case_id = await accepted_case(app, client, settings, clock)
    path = f"/api/v1/petitions/{case_id}/answer"
    for body, field in (({"outcome": "maybe", "summary": "x"}, "outcome"),
                        ({"outcome": "support", "summary": "   "}, "summary"),
                        ({"outcome": "support", "summary": "x", "unit_id": "other"}, "unit_id")):
        answer = await client.post(path, json=body, headers=unit_handler(settings))
        assert answer.status_code == 422
        assert [p["field"] for p in answer.json()["problems"]] == [field]
