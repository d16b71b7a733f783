"""How a case moves between units: assign, accept, return, re-route, transfer, co-handle and
close. Each function checks its rules and returns the new events. Escalation, extensions and
supervision orders have modules of their own.

``assignment.decide`` has already checked that the assignment exists, is open and is this case's.
"""

from __future__ import annotations

from casebus.domain.deadlines import ClockKind, due_at
from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.assignment_state import AssignmentState, AssignmentStatus
from services.routing.domain.commands import (
    AcceptCase,
    ArrangeCoHandling,
    AssignCase,
    CloseAssignment,
    RerouteCase,
    ReturnCase,
    TransferCase,
)
from services.routing.domain.events import (
    AssignmentClosed,
    CaseAcceptedByUnit,
    CaseAssigned,
    CaseEvent,
    CaseRerouted,
    CaseReturnedByUnit,
    CaseTransferred,
    CoHandlingArranged,
)
from services.routing.domain.handover import (
    DistrictSettings,
    check_co_handling,
    handover_clocks,
    require_status,
    require_unit,
)

S = AssignmentStatus


def assign(cmd: AssignCase, settings: DistrictSettings) -> list[CaseEvent]:
    d = cmd.decision
    check_co_handling(d.lead_unit, d.assisting_units)
    clocks = handover_clocks(cmd.at, cmd.category, settings)
    return [CaseAssigned(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id, category=cmd.category,
        unit_id=d.lead_unit, assisting_unit_ids=list(d.assisting_units), rule_id=d.rule_id,
        explanation=d.explanation, level=d.level, rules_version=d.rules_version,
        acceptance_due=clocks.acceptance_due, return_deadline=clocks.return_deadline,
        community=cmd.community, location=cmd.location, collective=cmd.collective,
        key_person=cmd.key_person, key_period=cmd.key_period)]


def accept(state: AssignmentState, cmd: AcceptCase, settings: DistrictSettings
           ) -> list[CaseEvent]:
    if state.status is S.ACCEPTED:
        raise DomainRuleViolation("accept-only-once",
                                  f"unit {state.unit_id} has already accepted case {cmd.case_id}")
    require_status(state, cmd, {S.ASSIGNED}, "accept-only-while-assigned")
    require_unit(state, cmd.unit_id)
    limit = settings.policy.limit_for(ClockKind.HANDLE_AND_ANSWER, state.category)
    return [CaseAcceptedByUnit(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id, unit_id=cmd.unit_id,
        answer_limit_days=limit.days,
        answer_due=due_at(cmd.at, limit, settings.calendar, settings.tz))]


def return_case(state: AssignmentState, cmd: ReturnCase, settings: DistrictSettings
                ) -> list[CaseEvent]:
    if state.status is S.ACCEPTED:
        raise DomainRuleViolation(
            "no-return-after-acceptance",
            f"unit {state.unit_id} accepted case {cmd.case_id}; transfer it instead")
    require_status(state, cmd, {S.ASSIGNED}, "return-only-while-assigned")
    require_unit(state, cmd.unit_id)
    assert state.return_deadline is not None  # set by every handover
    if cmd.at >= state.return_deadline:
        raise DomainRuleViolation(
            "return-within-5-working-days",
            f"case {cmd.case_id} could be returned until {state.return_deadline.isoformat()} "
            f"(5 working days after assignment, Art. 23); it is {cmd.at.isoformat()}")
    return [CaseReturnedByUnit(district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
                               unit_id=cmd.unit_id, reason=cmd.reason)]


def reroute(state: AssignmentState, cmd: RerouteCase, settings: DistrictSettings
            ) -> list[CaseEvent]:
    require_status(state, cmd, {S.RETURNED}, "reroute-only-after-return")
    d = cmd.decision
    if d.lead_unit in state.returned_by:
        raise DomainRuleViolation(
            "reroute-to-another-unit",
            f"unit {d.lead_unit} already returned case {cmd.case_id} as outside its remit")
    check_co_handling(d.lead_unit, d.assisting_units)
    clocks = handover_clocks(cmd.at, state.category, settings)
    return [CaseRerouted(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
        from_unit_id=state.unit_id, unit_id=d.lead_unit, assisting_unit_ids=d.assisting_units,
        rule_id=d.rule_id, explanation=d.explanation, level=d.level,
        rules_version=d.rules_version, acceptance_due=clocks.acceptance_due,
        return_deadline=clocks.return_deadline)]


def transfer(state: AssignmentState, cmd: TransferCase, settings: DistrictSettings
             ) -> list[CaseEvent]:
    # A returned case too: when every unit the rules give returned it, the office transfers it.
    require_status(state, cmd, {S.ASSIGNED, S.ACCEPTED, S.RETURNED},
                   "transfer-only-while-assigned")
    if cmd.to_unit_id == state.unit_id:
        raise DomainRuleViolation("transfer-to-another-unit",
                                  f"case {cmd.case_id} is already with unit {cmd.to_unit_id}")
    assisting = (cmd.assisting_unit_ids if cmd.assisting_unit_ids is not None
                 else [u for u in state.assisting_unit_ids if u != cmd.to_unit_id])
    check_co_handling(cmd.to_unit_id, assisting)
    clocks = handover_clocks(cmd.at, state.category, settings)
    return [CaseTransferred(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
        from_unit_id=state.unit_id, unit_id=cmd.to_unit_id, assisting_unit_ids=assisting,
        reason=cmd.reason, acceptance_due=clocks.acceptance_due,
        return_deadline=clocks.return_deadline)]


def arrange_co_handling(state: AssignmentState, cmd: ArrangeCoHandling,
                        settings: DistrictSettings) -> list[CaseEvent]:
    require_status(state, cmd, {S.ASSIGNED, S.ACCEPTED}, "co-handling-only-while-assigned")
    if not cmd.assisting_unit_ids:
        raise DomainRuleViolation("co-handling-needs-assisting-units",
                                  "co-handling names at least one assisting unit")
    check_co_handling(state.unit_id, cmd.assisting_unit_ids)
    return [CoHandlingArranged(district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
                               lead_unit_id=state.unit_id,
                               assisting_unit_ids=list(cmd.assisting_unit_ids))]


def close(state: AssignmentState, cmd: CloseAssignment, settings: DistrictSettings
          ) -> list[CaseEvent]:
    return [AssignmentClosed(district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
                             reason=cmd.reason)]
