"""Facts about the assignment of a case to units, and about routing rule documents.

Deadlines are computed when a command is decided and carried in the event, so that folding the
events needs no calendar and a replay gives the same dates even after the calendar is edited.
A deadline is the instant the period expires (local midnight after its last day): acting at or
after it is late.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import AwareDatetime, Field

from casebus.domain.events import DomainEvent
from casebus.domain.levels import Level


class CaseEvent(DomainEvent):
    case_id: str


class Handover(CaseEvent):
    """A unit is given the case: its clocks to notify acceptance and to return start now."""

    unit_id: str
    assisting_unit_ids: list[str] = Field(default_factory=list)
    acceptance_due: AwareDatetime  # Art. 23: notify acceptance within 15 days
    return_deadline: AwareDatetime  # Art. 23: return outside remit within 5 working days


class CaseAssigned(Handover):
    type_name: ClassVar[str] = "petition.case.assigned"
    category: str
    rule_id: str | None
    explanation: str
    level: Level = Level.STREET
    rules_version: int | None = None


class CaseRerouted(Handover):
    """After a return, the case goes to another unit."""

    type_name: ClassVar[str] = "petition.case.rerouted"
    from_unit_id: str
    rule_id: str | None
    explanation: str
    level: Level = Level.STREET


class CaseTransferred(Handover):
    type_name: ClassVar[str] = "petition.case.transferred"
    from_unit_id: str
    reason: str


class CaseEscalated(Handover):
    type_name: ClassVar[str] = "petition.case.escalated"
    from_level: Level
    to_level: Level
    from_unit_id: str
    reason: str


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


class AssignmentClosed(CaseEvent):
    type_name: ClassVar[str] = "petition.case.assignment-closed"
    reason: str


class RoutingRulesPublished(DomainEvent):
    type_name: ClassVar[str] = "petition.routing-rules.published"
    rules_version: int  # the document's version; ``version`` is the event schema's
    document: dict[str, Any]


ASSIGNMENT_EVENTS: tuple[type[CaseEvent], ...] = (
    CaseAssigned, CaseRerouted, CaseTransferred, CaseEscalated, CaseAcceptedByUnit,
    CaseReturnedByUnit, CoHandlingArranged, ExtensionRequested, ExtensionApproved,
    ExtensionRefused, SupervisionOrderIssued, AssignmentClosed,
)
ROUTING_EVENTS: tuple[type[DomainEvent], ...] = (*ASSIGNMENT_EVENTS, RoutingRulesPublished)
