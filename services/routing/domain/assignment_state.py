"""The state of a case's assignment, folded from its events.

```
unassigned ──► assigned ──► accepted ──► (closed)
                 │  ▲  ▲        │
                 │  │  └────────┴── transferred / escalated (the new unit must accept again)
                 ▼  │
              returned ──► re-routed
```
Closing is possible from any state after assignment; nothing changes a closed assignment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from casebus.domain.levels import Level
from services.routing.domain.events import (
    AssignmentClosed,
    CaseAcceptedByUnit,
    CaseAssigned,
    CaseEscalated,
    CaseEvent,
    CaseReturnedByUnit,
    CoHandlingArranged,
    ExtensionApproved,
    ExtensionRefused,
    ExtensionRequested,
    Handover,
    SupervisionOrderIssued,
)


class AssignmentStatus(StrEnum):
    UNASSIGNED = "unassigned"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    CLOSED = "closed"


@dataclass(frozen=True)
class PendingExtension:
    unit_id: str
    days: int
    reason: str


@dataclass(frozen=True)
class AssignmentState:
    status: AssignmentStatus = AssignmentStatus.UNASSIGNED
    case_id: str = ""
    district: str = ""
    category: str = ""
    unit_id: str = ""
    assisting_unit_ids: tuple[str, ...] = ()
    level: Level = Level.STREET
    assigned_at: datetime | None = None
    acceptance_due: datetime | None = None
    return_deadline: datetime | None = None
    accepted_at: datetime | None = None
    answer_limit_days: int = 0
    answer_due: datetime | None = None
    returned_by: tuple[str, ...] = ()  # every unit that returned the case, in order
    pending_extension: PendingExtension | None = None
    extension_granted: bool = False  # Art. 34: once per case, so it survives transfers
    supervision_orders: tuple[tuple[str, datetime], ...] = ()  # (order id, due)

    @property
    def times_returned(self) -> int:
        return len(self.returned_by)

    def is_overdue(self, at: datetime) -> bool:
        """Past the running clock: acceptance while assigned, the answer while accepted."""
        if self.status is AssignmentStatus.ASSIGNED and self.acceptance_due is not None:
            return at >= self.acceptance_due
        if self.status is AssignmentStatus.ACCEPTED and self.answer_due is not None:
            return at >= self.answer_due
        return False


def initial_state() -> AssignmentState:
    return AssignmentState()


def evolve(state: AssignmentState, event: CaseEvent) -> AssignmentState:
    match event:
        case Handover():
            state = replace(
                state, status=AssignmentStatus.ASSIGNED, case_id=event.case_id,
                district=event.district, unit_id=event.unit_id,
                assisting_unit_ids=tuple(event.assisting_unit_ids),
                assigned_at=event.occurred_at, acceptance_due=event.acceptance_due,
                return_deadline=event.return_deadline, accepted_at=None, answer_due=None,
                answer_limit_days=0, pending_extension=None)
            if isinstance(event, CaseAssigned):
                return replace(state, category=event.category, level=event.level)
            if isinstance(event, CaseEscalated):
                return replace(state, level=event.to_level)
            return state
        case CaseAcceptedByUnit():
            return replace(state, status=AssignmentStatus.ACCEPTED, accepted_at=event.occurred_at,
                           answer_limit_days=event.answer_limit_days, answer_due=event.answer_due)
        case CaseReturnedByUnit():
            return replace(state, status=AssignmentStatus.RETURNED,
                           returned_by=(*state.returned_by, event.unit_id))
        case CoHandlingArranged():
            return replace(state, unit_id=event.lead_unit_id,
                           assisting_unit_ids=tuple(event.assisting_unit_ids))
        case ExtensionRequested():
            return replace(state, pending_extension=PendingExtension(
                event.unit_id, event.days, event.reason))
        case ExtensionApproved():
            return replace(state, pending_extension=None, extension_granted=True,
                           answer_due=event.answer_due)
        case ExtensionRefused():
            return replace(state, pending_extension=None)
        case SupervisionOrderIssued():
            return replace(state, supervision_orders=(
                *state.supervision_orders, (event.order_id, event.due)))
        case AssignmentClosed():
            return replace(state, status=AssignmentStatus.CLOSED, pending_extension=None)
    return state
