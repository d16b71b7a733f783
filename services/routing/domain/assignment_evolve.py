"""How each event changes an assignment (``evolve``); the states are in ``assignment_state``."""

from __future__ import annotations

from dataclasses import replace

from services.routing.domain.assignment_records import (
    GrantedExtension,
    KeyFlag,
    PendingExtension,
    ProgressNote,
    SupervisionOrder,
)
from services.routing.domain.assignment_state import AssignmentState, AssignmentStatus
from services.routing.domain.events import (
    AssignmentClosed,
    CaseAcceptedByUnit,
    CaseAssigned,
    CaseEscalated,
    CaseEvent,
    CaseFlaggedAsKey,
    CaseReopened,
    CaseRerouted,
    CaseReturnedByUnit,
    CoHandlingArranged,
    ExtensionApproved,
    ExtensionRefused,
    ExtensionRequested,
    Handover,
    ProgressNoted,
    SupervisionOrderIssued,
)


def _involving(state: AssignmentState, *unit_ids: str) -> tuple[str, ...]:
    return (*state.units_involved, *(u for u in dict.fromkeys(unit_ids)
                                     if u not in state.units_involved))


def _handed_over(state: AssignmentState, event: Handover) -> AssignmentState:
    state = replace(
        state, status=AssignmentStatus.ASSIGNED, case_id=event.case_id,
        district=event.district, unit_id=event.unit_id,
        assisting_unit_ids=tuple(event.assisting_unit_ids),
        units_involved=_involving(state, event.unit_id, *event.assisting_unit_ids),
        assigned_at=event.occurred_at, acceptance_due=event.acceptance_due,
        return_deadline=event.return_deadline, accepted_at=None, answer_due=None,
        answer_limit_days=0, pending_extension=None)
    if isinstance(event, CaseAssigned):
        state = replace(state, category=event.category, community=event.community,
                        location=event.location, collective=event.collective,
                        key_person=event.key_person, key_period=event.key_period)
    if isinstance(event, CaseAssigned | CaseRerouted | CaseReopened):
        return replace(state, level=event.level, rule_id=event.rule_id,
                       explanation=event.explanation, rules_version=event.rules_version)
    if isinstance(event, CaseEscalated):
        return replace(state, level=event.to_level)
    return state


def evolve(state: AssignmentState, event: CaseEvent) -> AssignmentState:
    match event:
        case Handover():
            return _handed_over(state, event)
        case CaseAcceptedByUnit():
            return replace(state, status=AssignmentStatus.ACCEPTED, accepted_at=event.occurred_at,
                           answer_limit_days=event.answer_limit_days, answer_due=event.answer_due)
        case CaseReturnedByUnit():
            return replace(state, status=AssignmentStatus.RETURNED,
                           returned_by=(*state.returned_by, event.unit_id))
        case CoHandlingArranged():
            return replace(state, unit_id=event.lead_unit_id,
                           assisting_unit_ids=tuple(event.assisting_unit_ids),
                           units_involved=_involving(state, event.lead_unit_id,
                                                     *event.assisting_unit_ids))
        case ExtensionRequested():
            return replace(state, pending_extension=PendingExtension(
                event.unit_id, event.days, event.reason))
        case ExtensionApproved():
            return replace(state, pending_extension=None, answer_due=event.answer_due,
                           granted_extension=GrantedExtension(
                               event.days, event.approver, event.reason, event.answer_due))
        case ExtensionRefused():
            return replace(state, pending_extension=None)
        case SupervisionOrderIssued():
            return replace(state, supervision_orders=(*state.supervision_orders, SupervisionOrder(
                event.order_id, event.unit_id, event.issued_by, event.instructions, event.due)))
        case ProgressNoted():
            return replace(state, progress_notes=(
                *state.progress_notes, ProgressNote(event.unit_id, event.note, event.occurred_at)))
        case CaseFlaggedAsKey():
            return replace(state, key_flag=KeyFlag(event.flagged_by, event.reason,
                                                   event.occurred_at))
        case AssignmentClosed():
            return replace(state, status=AssignmentStatus.CLOSED, pending_extension=None)
    return state
