"""Handovers: the events that give a case to a unit (assigned, re-routed, transferred,
escalated, reopened). Each restarts the unit's Art. 23 clocks, so each carries both deadlines.
"""

from __future__ import annotations

from typing import ClassVar

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
    # The facts routing decided on, kept so that a return or a reopening can be routed again
    # without asking intake (optional: older assignments lack them).
    community: str | None = None
    location: str | None = None
    collective: bool = False
    key_person: bool = False
    key_period: bool = False


class CaseRerouted(Handover):
    """After a return, the case goes to another unit."""

    type_name: ClassVar[str] = "petition.case.rerouted"
    from_unit_id: str
    rule_id: str | None
    explanation: str
    level: Level = Level.STREET
    rules_version: int | None = None


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


class CaseReopened(Handover):
    """A closed assignment opens again (the case was un-merged), on a fresh routing decision."""

    type_name: ClassVar[str] = "petition.case.reopened"
    rule_id: str | None
    explanation: str
    level: Level = Level.STREET
    rules_version: int | None = None
    reason: str
