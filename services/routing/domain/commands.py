"""Requests about a case's assignment. ``assignment.decide`` accepts or refuses them.

Each command carries the instant it happens (``at``): the domain never reads the clock. The
calendar and the district's ``DeadlinePolicy`` are not in the commands; they are passed to
``assignment.decide(state, command, calendar, policy)``, because they are the district's
configuration rather than part of the request.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from casebus.domain.deadlines import DayCount
from casebus.domain.events import Command
from casebus.domain.levels import Level
from services.routing.domain.rules import RoutingDecision

Text = Annotated[str, Field(min_length=1)]


class CaseCommand(Command):
    case_id: Text
    district: Text
    at: AwareDatetime


class AssignCase(CaseCommand):
    category: Text
    decision: RoutingDecision  # from ``rules.route``: the lead unit, assisting units and why
    # The other facts routing decided on, kept in the event to route the case again later.
    community: str | None = None
    location: str | None = None
    collective: bool = False
    key_person: bool = False
    key_period: bool = False


class AcceptCase(CaseCommand):
    unit_id: Text


class ReturnCase(CaseCommand):
    """The unit says the case is outside its remit (Art. 23)."""

    unit_id: Text
    reason: Text


class RerouteCase(CaseCommand):
    decision: RoutingDecision


class TransferCase(CaseCommand):
    to_unit_id: Text
    reason: Text
    assisting_unit_ids: list[str] | None = None  # None: keep the current assisting units


class ArrangeCoHandling(CaseCommand):
    """The current unit leads; the assisting units help."""

    assisting_unit_ids: list[str]


class EscalateCase(CaseCommand):
    """Move the case one level up (community -> street -> district) to ``unit_id`` there."""

    unit_id: Text
    reason: Text
    unit_level: Level | None = None  # the unit's level in the district's rules, when known


class RequestExtension(CaseCommand):
    unit_id: Text
    days: int
    reason: Text  # Art. 34: told to the petitioner if approved


class ApproveExtension(CaseCommand):
    approver: Text  # the unit head who approves (Art. 34)


class RefuseExtension(CaseCommand):
    refused_by: Text
    reason: Text


class IssueSupervisionOrder(CaseCommand):
    """The order's deadline is its own: ``limit_days`` counted by ``day_count`` from ``at``."""

    order_id: Text
    issued_by: Text
    instructions: Text
    limit_days: int
    day_count: DayCount = DayCount.WORKING
    unit_id: str | None = None  # None: the unit holding the case


class NoteProgress(CaseCommand):
    unit_id: Text
    note: Text


class FlagAsKeyCase(CaseCommand):
    flagged_by: Text
    reason: Text


class ReopenCase(CaseCommand):
    """The case was un-merged: its closed assignment opens again on a fresh decision."""

    decision: RoutingDecision
    reason: Text


class CloseAssignment(CaseCommand):
    reason: Text


class PublishRoutingRules(Command):
    district: Text
    at: AwareDatetime
    document: dict[str, Any]  # the parsed YAML/JSON; validated by the decider
