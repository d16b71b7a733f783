"""The state of a case's assignment, folded from its events.

```
unassigned ──► assigned ──► accepted ──► (closed) ──► reopened (assigned again)
                 │  ▲  ▲        │
                 │  │  └────────┴── transferred / escalated (the new unit must accept again)
                 ▼  │
              returned ──► re-routed (or, when every candidate returned it, transferred)
```
Closing is possible from any state after assignment; only a reopening (the case was un-merged)
changes a closed assignment. ``assignment_evolve.evolve`` applies the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from casebus.domain.levels import Level
from services.routing.domain.assignment_records import (
    GrantedExtension,
    KeyFlag,
    PendingExtension,
    ProgressNote,
    SupervisionOrder,
)
from services.routing.domain.rules import CaseFacts

__all__ = ["AssignmentState", "AssignmentStatus", "PendingExtension", "initial_state"]


class AssignmentStatus(StrEnum):
    UNASSIGNED = "unassigned"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    CLOSED = "closed"


@dataclass(frozen=True)
class AssignmentState:
    status: AssignmentStatus = AssignmentStatus.UNASSIGNED
    case_id: str = ""
    district: str = ""
    category: str = ""
    unit_id: str = ""
    assisting_unit_ids: tuple[str, ...] = ()
    level: Level = Level.STREET
    # The case's facts routing decides on (kept from the assignment, for routing it again).
    community: str | None = None
    location: str | None = None
    collective: bool = False
    key_person: bool = False
    key_period: bool = False
    # The latest routing decision: which rule, why, and which version of the district's rules.
    rule_id: str | None = None
    explanation: str = ""
    rules_version: int | None = None
    assigned_at: datetime | None = None
    acceptance_due: datetime | None = None
    return_deadline: datetime | None = None
    accepted_at: datetime | None = None
    answer_limit_days: int = 0
    answer_due: datetime | None = None
    returned_by: tuple[str, ...] = ()  # every unit that returned the case, in order
    units_involved: tuple[str, ...] = ()  # every unit that held or assisted it, first seen first
    pending_extension: PendingExtension | None = None
    granted_extension: GrantedExtension | None = None  # Art. 34: once per case, kept on transfer
    supervision_orders: tuple[SupervisionOrder, ...] = ()
    key_flag: KeyFlag | None = None
    progress_notes: tuple[ProgressNote, ...] = ()

    @property
    def times_returned(self) -> int:
        return len(self.returned_by)

    @property
    def extension_granted(self) -> bool:
        return self.granted_extension is not None

    def is_overdue(self, at: datetime) -> bool:
        """Past the running clock: acceptance while assigned, the answer while accepted."""
        if self.status is AssignmentStatus.ASSIGNED and self.acceptance_due is not None:
            return at >= self.acceptance_due
        if self.status is AssignmentStatus.ACCEPTED and self.answer_due is not None:
            return at >= self.answer_due
        return False

    def facts(self) -> CaseFacts:
        """What routing knows of the case, to route it again."""
        return CaseFacts(case_id=self.case_id, district=self.district, category=self.category,
                         community=self.community or "", location=self.location,
                         level=self.level, collective=self.collective,
                         key_person=self.key_person, key_period=self.key_period)


def initial_state() -> AssignmentState:
    return AssignmentState()
