"""Facts about the assignment of a case to units, and about routing rule documents. The
handovers (assigned, re-routed, transferred, escalated, reopened) are in ``handover_events``.

Deadlines are computed when a command is decided and carried in the event, so that folding the
events needs no calendar and a replay gives the same dates even after the calendar is edited.
A deadline is the instant the period expires (local midnight after its last day): acting at or
after it is late.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import AwareDatetime

from casebus.domain.deadlines import DayCount
from casebus.domain.events import DomainEvent
from services.routing.domain.handover_events import (
    CaseAssigned,
    CaseEscalated,
    CaseEvent,
    CaseReopened,
    CaseRerouted,
    CaseTransferred,
    Handover,
)

__all__ = [
    "ASSIGNMENT_EVENTS", "ROUTING_EVENTS", "AssignmentClosed", "CaseAcceptedByUnit",
    "CaseAssigned", "CaseEscalated", "CaseEvent", "CaseFlaggedAsKey", "CaseReopened",
    "CaseRerouted", "CaseReturnedByUnit", "CaseTransferred", "CoHandlingArranged",
    "ExtensionApproved", "ExtensionRefused", "ExtensionRequested", "Handover", "ProgressNoted",
    "RoutingRulesPublished", "SupervisionOrderIssued",
]


class CaseAcceptedByUnit(CaseEvent):
    type_name: ClassVar[str] = "petition.case.accepted"
    unit_id: str
    answer_limit_days: int  # the handling limit that applied, so an extension adds to it
    answer_due: AwareDatetime  # Art. 34: 60 days unless the district set fewer


class CaseReturnedByUnit(CaseEvent):
    type_name: ClassVar[str] = "petition.case.returned"
    unit_id: str
    reason: str


class CoHandlingArranged(CaseEvent):
    type_name: ClassVar[str] = "petition.case.co-handling-arranged"
    lead_unit_id: str
    assisting_unit_ids: list[str]


class ExtensionRequested(CaseEvent):
    type_name: ClassVar[str] = "petition.case.extension-requested"
    unit_id: str
    days: int
    reason: str


class ExtensionApproved(CaseEvent):
    type_name: ClassVar[str] = "petition.case.extension-approved"
    approver: str
    days: int
    reason: str  # Art. 34: told to the petitioner
    answer_due: AwareDatetime  # the new deadline to answer


class ExtensionRefused(CaseEvent):
    type_name: ClassVar[str] = "petition.case.extension-refused"
    refused_by: str
    reason: str


class SupervisionOrderIssued(CaseEvent):
    """A supervision order (督办) from a leader, with its own deadline."""

    type_name: ClassVar[str] = "petition.case.supervision-ordered"
    order_id: str
    issued_by: str
    instructions: str
    due: AwareDatetime
    # The unit ordered and the order's own limit, so accountability's supervision clock counts
    # the same due instant (optional: older orders carry only ``due``).
    unit_id: str | None = None
    limit_days: int | None = None
    day_count: DayCount | None = None


class ProgressNoted(CaseEvent):
    """The unit holding the case reports how handling is going."""

    type_name: ClassVar[str] = "petition.case.progress-noted"
    unit_id: str
    note: str


class CaseFlaggedAsKey(CaseEvent):
    """A leader puts the case on the key-case ledger ("one case, one policy")."""

    type_name: ClassVar[str] = "petition.case.flagged-as-key"
    flagged_by: str
    reason: str


class AssignmentClosed(CaseEvent):
    type_name: ClassVar[str] = "petition.case.assignment-closed"
    reason: str


class RoutingRulesPublished(DomainEvent):
    type_name: ClassVar[str] = "petition.routing-rules.published"
    rules_version: int  # the document's version; ``version`` is the event schema's
    document: dict[str, Any]


ASSIGNMENT_EVENTS: tuple[type[CaseEvent], ...] = (
    CaseAssigned, CaseRerouted, CaseTransferred, CaseEscalated, CaseReopened,
    CaseAcceptedByUnit, CaseReturnedByUnit, CoHandlingArranged, ExtensionRequested,
    ExtensionApproved, ExtensionRefused, SupervisionOrderIssued, ProgressNoted,
    CaseFlaggedAsKey, AssignmentClosed,
)
ROUTING_EVENTS: tuple[type[DomainEvent], ...] = (*ASSIGNMENT_EVENTS, RoutingRulesPublished)
