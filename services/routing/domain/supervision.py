"""Supervision orders (督办): a leader orders a unit to act on a case by a deadline of its own.

Orders may be issued on any open assignment, as many as the leaders see fit; each has its own
id and limit, set by the order rather than by law. The due instant is counted like every
period (``deadlines.due_at``), and the event carries the limit so that accountability's
supervision clock, started from it, counts the very same instant.
"""

from __future__ import annotations

from casebus.domain.deadlines import Limit, due_at
from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.assignment_state import AssignmentState
from services.routing.domain.commands import IssueSupervisionOrder
from services.routing.domain.events import CaseEvent, SupervisionOrderIssued
from services.routing.domain.handover import DistrictSettings


def issue_supervision_order(state: AssignmentState, cmd: IssueSupervisionOrder,
                            settings: DistrictSettings) -> list[CaseEvent]:
    if cmd.limit_days < 1:
        raise DomainRuleViolation("supervision-limit-at-least-1-day",
                                  f"order {cmd.order_id} gives {cmd.limit_days} days; an order "
                                  "gives at least one day")
    if any(order.order_id == cmd.order_id for order in state.supervision_orders):
        raise DomainRuleViolation("supervision-order-id-unique",
                                  f"order {cmd.order_id} was already issued on this case")
    unit_id = cmd.unit_id or state.unit_id
    if unit_id not in (state.unit_id, *state.assisting_unit_ids):
        raise DomainRuleViolation(
            "supervision-of-a-unit-on-the-case",
            f"unit {unit_id} neither leads nor assists case {cmd.case_id} "
            f"(lead {state.unit_id}, assisting {', '.join(state.assisting_unit_ids) or 'none'})")
    limit = Limit(cmd.limit_days, cmd.day_count)
    return [SupervisionOrderIssued(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id, order_id=cmd.order_id,
        issued_by=cmd.issued_by, instructions=cmd.instructions,
        due=due_at(cmd.at, limit, settings.calendar, settings.tz), unit_id=unit_id,
        limit_days=limit.days, day_count=limit.count)]
