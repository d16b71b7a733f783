"""Review (复查, Art. 35) and re-examination (复核, Art. 36) of a claim's answer, recorded by the
office, with the re-examination's hearings (their time is not counted)."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Response

from casebus.commands import IdempotencyKey
from casebus.http_problems import COMMAND_RESPONSES
from services.intake.domain.commands import (
    DecideReexamination,
    DecideReview,
    DeliverReviewDecision,
    EndHearing,
    RequestReexamination,
    RequestReview,
    StartHearing,
)
from services.intake.entrypoints.bodies import ReasonIn, ReexaminationDecisionIn, ReviewDecisionIn
from services.intake.entrypoints.deps import Clerk, CommandAnswer, IntakeService, case_command

router = APIRouter(prefix="/api/v1/petitions/{case_id}", tags=["review and re-examination"])
ROUTE: dict[str, Any] = {"response_model": CommandAnswer, "responses": COMMAND_RESPONSES}


@router.post("/review", **ROUTE)
async def request_review(case_id: str, body: ReasonIn, principal: Clerk, service: IntakeService,
                         key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """The petitioner asks for a review within 30 days of the answer's delivery
    (409 ``review-within-30-days``; a suggestion: ``no-review-for-suggestions``)."""
    make = partial(RequestReview, **dict(body))
    return await case_command(service, principal, case_id, key, response, make, body)


@router.post("/review/decision", **ROUTE)
async def decide_review(case_id: str, body: ReviewDecisionIn, principal: Clerk,
                        service: IntakeService, key: IdempotencyKey,
                        response: Response) -> dict[str, Any]:
    """The reviewing body's decision on the answer."""
    make = partial(DecideReview, **dict(body))
    return await case_command(service, principal, case_id, key, response, make, body)


@router.post("/review/decision/delivery", **ROUTE)
async def deliver_review_decision(case_id: str, principal: Clerk, service: IntakeService,
                                  key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """The review decision reached the petitioner: the re-examination window opens."""
    return await case_command(service, principal, case_id, key, response, DeliverReviewDecision)


@router.post("/reexamination", **ROUTE)
async def request_reexamination(case_id: str, body: ReasonIn, principal: Clerk,
                                service: IntakeService, key: IdempotencyKey,
                                response: Response) -> dict[str, Any]:
    """The petitioner asks for re-examination within 30 days of the review decision's
    delivery (409 ``reexamination-within-30-days``)."""
    make = partial(RequestReexamination, **dict(body))
    return await case_command(service, principal, case_id, key, response, make, body)


@router.post("/reexamination/hearing", **ROUTE)
async def start_hearing(case_id: str, principal: Clerk, service: IntakeService,
                        key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """A hearing of the pending re-examination begins; one at a time
    (409 ``one-hearing-at-a-time``, ``hearing-during-pending-reexamination``)."""
    make = partial(StartHearing, clerk_id=principal.subject)
    return await case_command(service, principal, case_id, key, response, make)


@router.post("/reexamination/hearing/end", **ROUTE)
async def end_hearing(case_id: str, principal: Clerk, service: IntakeService,
                      key: IdempotencyKey, response: Response) -> dict[str, Any]:
    """The hearing in progress ends (409 ``no-hearing-in-progress``)."""
    make = partial(EndHearing, clerk_id=principal.subject)
    return await case_command(service, principal, case_id, key, response, make)


@router.post("/reexamination/decision", **ROUTE)
async def decide_reexamination(case_id: str, body: ReexaminationDecisionIn, principal: Clerk,
                               service: IntakeService, key: IdempotencyKey,
                               response: Response) -> dict[str, Any]:
    """The final decision (409 ``decide-after-hearing-ends`` while a hearing is in progress)."""
    make = partial(DecideReexamination, **dict(body))
    return await case_command(service, principal, case_id, key, response, make, body)
