"""Extending the time to answer (Art. 34): once per case, by at most 30 days, approved by the
unit head, with a reason that is told to the petitioner.

A refused request is not an extension, so the unit may ask again; once one is approved, no more.
The approval is checked and its new deadline computed by ``casebus.domain.extension_rules``, the
rule the deadline clock uses too, so routing's ``answer_due`` and the clock's due instant agree:
a further period counted from the end of the original one, approved before it ends.
"""

from __future__ import annotations

from casebus.domain.deadlines import MAX_EXTENSION_DAYS, DayCount, Limit
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.extension_rules import check_extension, extended_due
from services.routing.domain.assignment_state import AssignmentState, AssignmentStatus
from services.routing.domain.commands import ApproveExtension, RefuseExtension, RequestExtension
from services.routing.domain.events import (
    CaseEvent,
    ExtensionApproved,
    ExtensionRefused,
    ExtensionRequested,
)
from services.routing.domain.handover import DistrictSettings, require_status, require_unit


def request(state: AssignmentState, cmd: RequestExtension, settings: DistrictSettings
            ) -> list[CaseEvent]:
    require_status(state, cmd, {AssignmentStatus.ACCEPTED}, "extension-only-after-acceptance")
    require_unit(state, cmd.unit_id)
    if state.extension_granted:
        raise DomainRuleViolation("one-extension-per-case",
                                  f"case {cmd.case_id} has already been extended once (Art. 34)")
    if state.pending_extension is not None:
        raise DomainRuleViolation(
            "one-extension-request-at-a-time",
            f"case {cmd.case_id} already has an extension request awaiting a decision")
    if not cmd.reason.strip():
        raise DomainRuleViolation("extension-reason-told-to-petitioner",
                                  "an extension needs a reason, which the petitioner is told")
    if cmd.days < 1:
        raise DomainRuleViolation("extension-at-least-1-day",
                                  f"an extension of {cmd.days} days extends nothing")
    if cmd.days > MAX_EXTENSION_DAYS:
        raise DomainRuleViolation(
            "extension-at-most-30-days",
            f"{cmd.days} days requested; an extension is at most {MAX_EXTENSION_DAYS} days")
    assert state.answer_due is not None  # set on acceptance
    if cmd.at >= state.answer_due:
        raise DomainRuleViolation(
            "extension-before-answer-due",
            f"the answer was due {state.answer_due.isoformat()}; an extension must be asked "
            "for before the deadline passes")
    return [ExtensionRequested(district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
                               unit_id=cmd.unit_id, days=cmd.days, reason=cmd.reason)]


def approve(state: AssignmentState, cmd: ApproveExtension, settings: DistrictSettings
            ) -> list[CaseEvent]:
    pending = state.pending_extension
    if pending is None:
        raise DomainRuleViolation("approve-only-pending-extension",
                                  f"case {cmd.case_id} has no extension request to approve")
    assert state.accepted_at is not None and state.answer_due is not None  # set on acceptance
    check_extension(days=pending.days, approved_by=cmd.approver, reason=pending.reason,
                    at=cmd.at, due=state.answer_due, already_extended=state.extension_granted)
    answer_due = extended_due(state.accepted_at,
                              Limit(state.answer_limit_days, DayCount.CALENDAR), pending.days,
                              settings.calendar, settings.tz)
    return [ExtensionApproved(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
        approver=cmd.approver.strip(), days=pending.days, reason=pending.reason,
        answer_due=answer_due)]


def refuse(state: AssignmentState, cmd: RefuseExtension, settings: DistrictSettings
           ) -> list[CaseEvent]:
    if state.pending_extension is None:
        raise DomainRuleViolation("refuse-only-pending-extension",
                                  f"case {cmd.case_id} has no extension request to refuse")
    return [ExtensionRefused(district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
                             refused_by=cmd.refused_by, reason=cmd.reason)]
