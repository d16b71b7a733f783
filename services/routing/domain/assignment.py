"""The assignment of a case to units, as a decider: ``initial_state``, ``evolve``, ``decide``.

``decide(state, command, calendar, policy, tz)`` takes the district's working-day calendar and
``DeadlinePolicy`` beside the command; the deadlines it computes go into the events. Assigning
needs an unassigned case and reopening a closed one; every other command an open assignment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import CHINA_TZ, DeadlinePolicy
from casebus.domain.errors import DomainRuleViolation
from services.routing.domain import (
    escalation,
    extension,
    follow_up,
    rerouting,
    supervision,
    transitions,
)
from services.routing.domain.assignment_evolve import evolve
from services.routing.domain.assignment_state import (
    AssignmentState,
    AssignmentStatus,
    initial_state,
)
from services.routing.domain.commands import (
    AcceptCase,
    ApproveExtension,
    ArrangeCoHandling,
    AssignCase,
    CaseCommand,
    CloseAssignment,
    EscalateCase,
    FlagAsKeyCase,
    IssueSupervisionOrder,
    NoteProgress,
    RefuseExtension,
    ReopenCase,
    RequestExtension,
    RerouteCase,
    ReturnCase,
    TransferCase,
)
from services.routing.domain.events import CaseEvent
from services.routing.domain.handover import DistrictSettings

__all__ = ["AssignmentState", "AssignmentStatus", "decide", "evolve", "initial_state"]

Handler = Callable[[AssignmentState, Any, DistrictSettings], list[CaseEvent]]
_HANDLERS: dict[type[CaseCommand], Handler] = {
    AcceptCase: transitions.accept,
    ReturnCase: transitions.return_case,
    RerouteCase: transitions.reroute,
    TransferCase: transitions.transfer,
    ArrangeCoHandling: transitions.arrange_co_handling,
    EscalateCase: escalation.escalate,
    IssueSupervisionOrder: supervision.issue_supervision_order,
    CloseAssignment: transitions.close,
    RequestExtension: extension.request,
    ApproveExtension: extension.approve,
    RefuseExtension: extension.refuse,
    NoteProgress: follow_up.note_progress,
    FlagAsKeyCase: follow_up.flag_as_key,
}


def decide(state: AssignmentState, command: CaseCommand, calendar: WorkingDayCalendar,
           policy: DeadlinePolicy, tz: tzinfo = CHINA_TZ) -> list[CaseEvent]:
    """The events ``command`` causes, or ``DomainRuleViolation`` naming the rule it breaks."""
    if calendar.district != command.district or policy.district != command.district:
        raise DomainRuleViolation(
            "district-settings-of-own-district",
            f"command for district {command.district} decided with the calendar of "
            f"{calendar.district} and the deadline policy of {policy.district}")
    settings = DistrictSettings(calendar, policy, tz)
    if isinstance(command, AssignCase):
        if state.status is not AssignmentStatus.UNASSIGNED:
            raise DomainRuleViolation(
                "assign-only-once",
                f"case {command.case_id} is already assigned; re-route or transfer it instead")
        return transitions.assign(command, settings)
    if isinstance(command, ReopenCase):
        return rerouting.reopen(state, command, settings)
    _check_open(state, command)
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"not an assignment command: {type(command).__name__}")
    return handler(state, command, settings)


def _check_open(state: AssignmentState, command: CaseCommand) -> None:
    if state.status is AssignmentStatus.UNASSIGNED:
        raise DomainRuleViolation("case-must-be-assigned",
                                  f"case {command.case_id} has not been assigned to a unit")
    if state.status is AssignmentStatus.CLOSED:
        raise DomainRuleViolation("no-change-after-closing",
                                  f"the assignment of case {state.case_id} is closed")
    if (command.case_id, command.district) != (state.case_id, state.district):
        raise DomainRuleViolation(
            "command-for-this-case",
            f"command for case {command.case_id} in {command.district} sent to case "
            f"{state.case_id} in {state.district}")
