"""A claim from registration to closure over HTTP, every step posted twice with one
Idempotency-Key; a suggestion's shorter road; the rules that refuse steps out of order."""

from __future__ import annotations

from datetime import timedelta

from casebus.access import Role
from tests.integration.intake.helpers import (
    UNIT,
    accepted_case,
    clerk,
    count_events,
    reader,
    refused,
    step,
    unit_handler,
)


async def test_a_claim_from_registration_to_closure(app, client, settings, clock) -> None:
    case_id = await accepted_case(app, client, settings, clock)
    path = f"/api/v1/petitions/{case_id}"
    office = clerk(settings)

    clock.advance(timedelta(days=1))
    answered = await step(client, f"{path}/answer", unit_handler(settings),
                          {"outcome": "support", "summary": "Gas by 30 June."})
    assert answered["events"] == ["petition.case.answered.v1"]
    assert answered["state"]["answer_outcome"] == "support"
    assert answered["state"]["accepting_unit"] == UNIT
    await refused(client, f"{path}/closure", office, "close-requires-delivered-answer")

    clock.advance(timedelta(hours=2))
    delivered = await step(client, f"{path}/delivery", office)
    assert delivered["state"]["delivered"] is True
    for evaluator in ("petition-office", "responsible-unit"):
        await step(client, f"{path}/evaluations", office,
                   {"evaluator": evaluator, "satisfaction": "basically-satisfied"})
    await refused(client, f"{path}/evaluations", office, "evaluate-once-each",
                  {"evaluator": "petition-office", "satisfaction": "satisfied"})
    await refused(client, f"{path}/closure", office, "close-before-review-window-ends")

    clock.advance(timedelta(days=2))
    await step(client, f"{path}/review", office, {"reason": "The date is too late."})
    await refused(client, f"{path}/closure", office, "close-while-review-pending")
    await step(client, f"{path}/review/decision", office,
               {"reviewing_body": "Beiyuan Street Office", "outcome": "upheld",
                "summary": "The answer stands."})
    reviewed = await step(client, f"{path}/review/decision/delivery", office)
    assert reviewed["state"]["review"]["status"] == "delivered"
    assert reviewed["state"]["review"]["outcome"] == "upheld"

    clock.advance(timedelta(days=3))
    await refused(client, f"{path}/reexamination/hearing", office,
                  "hearing-during-pending-reexamination")
    await step(client, f"{path}/reexamination", office, {"reason": "Still too late."})
    hearing = await step(client, f"{path}/reexamination/hearing", office)
    assert hearing["events"] == ["petition.case.hearing-started.v1"]
    assert hearing["state"]["reexamination"]["status"] == "hearing"
    await refused(client, f"{path}/reexamination/hearing", office, "one-hearing-at-a-time")
    await refused(client, f"{path}/reexamination/decision", office, "decide-after-hearing-ends",
                  {"reexamining_body": "Chaoyang District Petition Bureau",
                   "outcome": "revised", "summary": "Gas by 30 April."})
    clock.advance(timedelta(days=1))
    ended = await step(client, f"{path}/reexamination/hearing/end", office)
    assert ended["state"]["reexamination"] == {
        "status": "requested", "requested_at": ended["state"]["reexamination"]["requested_at"],
        "outcome": None, "delivered_at": None, "hearings_held": 1}
    await step(client, f"{path}/reexamination/decision", office,
               {"reexamining_body": "Chaoyang District Petition Bureau", "outcome": "revised",
                "summary": "Gas by 30 April."})
    closed = await step(client, f"{path}/closure", office)
    assert closed["events"] == ["petition.case.closed.v1"]
    assert closed["state"]["stage"] == "closed"

    before = await count_events(settings, case_id)
    await refused(client, f"{path}/delivery", office, "petition-closed")
    assert await count_events(settings, case_id) == before
    read = (await client.get(path, headers=reader(settings, Role.AUDITOR))).json()
    assert read["state"]["reexamination"]["outcome"] == "revised"
    assert [e["type"] for e in read["events"]][-3:] == [
        "petition.case.hearing-ended.v1", "petition.case.reexamination-decided.v1",
        "petition.case.closed.v1"]
    assert read["events"][0]["occurred_at"].endswith("+08:00")  # local time, like the state


async def test_a_suggestion_is_answered_on_adoption_and_closes_without_review(
        app, client, settings, clock) -> None:
    case_id = await accepted_case(app, client, settings, clock, matter_kind="suggestion",
                                  subject="More charging points for electric bicycles")
    path = f"/api/v1/petitions/{case_id}"
    office = clerk(settings)
    clock.advance(timedelta(days=1))
    await refused(client, f"{path}/answer", unit_handler(settings),
                  "merits-outcomes-for-claims-only", {"outcome": "support", "summary": "Yes."})
    await step(client, f"{path}/answer", unit_handler(settings),
               {"outcome": "partly-adopted", "summary": "Ten more in the east car park."})
    await step(client, f"{path}/delivery", office)
    await refused(client, f"{path}/review", office, "no-review-for-suggestions",
                  {"reason": "Not enough."})
    await step(client, f"{path}/evaluations", office,
               {"evaluator": "responsible-unit", "satisfaction": "satisfied"})
    await refused(client, f"{path}/closure", office, "close-requires-settled-evaluation")
    await step(client, f"{path}/evaluations", office,
               {"evaluator": "petition-office", "satisfaction": "satisfied"})
    # The same day: no review window to wait for.
    closed = await step(client, f"{path}/closure", office)
    assert closed["state"]["stage"] == "closed"
    assert closed["state"]["answer_outcome"] == "partly-adopted"


async def test_a_claim_is_not_answered_on_adoption(app, client, settings, clock) -> None:
    case_id = await accepted_case(app, client, settings, clock)
    await refused(client, f"/api/v1/petitions/{case_id}/answer", unit_handler(settings),
                  "adoption-outcomes-for-suggestions-only",
                  {"outcome": "adopted", "summary": "Adopted."})
