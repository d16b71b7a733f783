"""Supervision orders (督办): a leader orders a unit to act on a case by a deadline of its own.

Orders may be issued on any open assignment, as many as the leaders see fit; each has its own id
and due time, set by the order rather than by law.
"""

from __future__ import annotations

from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.assignment_state import AssignmentState
from services.routing.domain.commands import IssueSupervisionOrder
from services.routing.domain.events import CaseEvent, SupervisionOrderIssued
from services.routing.domain.handover import DistrictSettings


def issue_supervision_order(state: AssignmentState, cmd: IssueSupervisionOrder,
                            settings: DistrictSettings) -> list[CaseEvent]:
    if cmd.due <= cmd.at:
        raise DomainRuleViolation("supervision-due-after-issue",
                                  f"order {cmd.order_id} is due {cmd.due.isoformat()}, "
                                  f"not after it is issued at {cmd.at.isoformat()}")
    if any(order_id == cmd.order_id for order_id, _ in state.supervision_orders):
        raise DomainRuleViolation("supervision-order-id-unique",
                                  f"order {cmd.order_id} was already issued on this case")
    return [SupervisionOrderIssued(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id, order_id=cmd.order_id,
        issued_by=cmd.issued_by, instructions=cmd.instructions, due=cmd.due)]
