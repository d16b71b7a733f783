"""Routing a case again: after a unit returned it (Art. 23), and when an un-merged case's
closed assignment reopens. Both take a fresh decision from the district's current rules.

After a return the next best rule whose lead unit has not returned the case wins, else the
fallback unit; when the fallback unit returned it too, no command: the case stays returned and
the office transfers it by hand.
"""

from __future__ import annotations

from datetime import datetime

from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.assignment_state import AssignmentState, AssignmentStatus
from services.routing.domain.commands import ReopenCase, RerouteCase
from services.routing.domain.events import CaseEvent, CaseReopened
from services.routing.domain.handover import DistrictSettings, check_co_handling, handover_clocks
from services.routing.domain.rules import RoutingDecision, RoutingRules, route, route_avoiding


def reroute_after_return(state: AssignmentState, rules: RoutingRules, at: datetime
                         ) -> RerouteCase | None:
    """The command routing a returned case to its next unit; None if no unit is left."""
    if state.status is not AssignmentStatus.RETURNED:
        return None
    decision = route_avoiding(state.facts(), rules, state.returned_by)
    if decision is None:
        return None
    return RerouteCase(case_id=state.case_id, district=state.district, at=at,
                       decision=decision)


def reopening_decision(state: AssignmentState, rules: RoutingRules) -> RoutingDecision:
    """A fresh decision for a reopened case: avoiding the units that returned it while another
    is left, else as if it were new (the office may still transfer it)."""
    return (route_avoiding(state.facts(), rules, state.returned_by)
            or route(state.facts(), rules))


def reopen(state: AssignmentState, cmd: ReopenCase, settings: DistrictSettings
           ) -> list[CaseEvent]:
    if state.status is not AssignmentStatus.CLOSED:
        raise DomainRuleViolation(
            "reopen-only-closed-assignment",
            f"case {cmd.case_id} is {state.status}; only a closed assignment is reopened")
    if (cmd.case_id, cmd.district) != (state.case_id, state.district):
        raise DomainRuleViolation(
            "command-for-this-case",
            f"command for case {cmd.case_id} in {cmd.district} sent to case "
            f"{state.case_id} in {state.district}")
    d = cmd.decision
    check_co_handling(d.lead_unit, d.assisting_units)
    clocks = handover_clocks(cmd.at, state.category, settings)
    return [CaseReopened(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id, unit_id=d.lead_unit,
        assisting_unit_ids=list(d.assisting_units), rule_id=d.rule_id,
        explanation=d.explanation, level=d.level, rules_version=d.rules_version,
        reason=cmd.reason, acceptance_due=clocks.acceptance_due,
        return_deadline=clocks.return_deadline)]
