"""The key-case ledger ("governance of heavy and long-standing cases"): one stream per case,
``key-case/<district>/<case_id>``. A case enters once (open long, petitioned many times, or
flagged by a leader, with the evidence); a leader in charge sets its plan ("one case, one
policy"), notes dated progress, and records its resolution, once. A resolved entry is final:
a case petitioned again later enters through a new case of the same matter."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import Command, DomainEvent

DEFAULT_OPEN_DAYS = 90  # a case open longer than this enters
DEFAULT_PETITIONS = 3  # a matter petitioned this many times (first case + repeats) enters


class EntryReason(StrEnum):
    OPEN_LONG = "open-long"
    PETITIONED_MANY_TIMES = "petitioned-many-times"
    FLAGGED_BY_LEADER = "flagged-by-leader"


def stream_of(district: str, case_id: str) -> str:
    return f"key-case/{district}/{case_id}"


class KeyCaseEntered(DomainEvent):
    type_name: ClassVar[str] = "petition.key-case.entered"
    case_id: str
    reason: EntryReason
    evidence: str  # why, in words: the days open, the repeat cases, the leader's reason
    flagged_by: str | None = None


class KeyCasePlanSet(DomainEvent):
    type_name: ClassVar[str] = "petition.key-case.plan-set"
    case_id: str
    plan: str
    leader_in_charge: str
    set_by: str


class KeyCaseProgressNoted(DomainEvent):
    type_name: ClassVar[str] = "petition.key-case.progress-noted"
    case_id: str
    note: str
    noted_by: str


class KeyCaseResolved(DomainEvent):
    type_name: ClassVar[str] = "petition.key-case.resolved"
    case_id: str
    outcome: str
    resolved_by: str


KeyCaseEvent = KeyCaseEntered | KeyCasePlanSet | KeyCaseProgressNoted | KeyCaseResolved
KEY_CASE_EVENTS = (KeyCaseEntered, KeyCasePlanSet, KeyCaseProgressNoted, KeyCaseResolved)


class EnterKeyCase(Command):
    at: AwareDatetime
    district: str
    case_id: str
    reason: EntryReason
    evidence: str
    flagged_by: str | None = None


class SetPlan(Command):
    at: AwareDatetime
    district: str
    case_id: str
    plan: str
    leader_in_charge: str
    by: str


class NoteProgress(Command):
    at: AwareDatetime
    district: str
    case_id: str
    note: str
    by: str


class Resolve(Command):
    at: AwareDatetime
    district: str
    case_id: str
    outcome: str
    by: str


@dataclass
class KeyCase:
    entered: KeyCaseEntered | None = None
    plan: KeyCasePlanSet | None = None
    progress: list[KeyCaseProgressNoted] = field(default_factory=list)
    resolved: KeyCaseResolved | None = None


def state_of(history: list[DomainEvent]) -> KeyCase:
    case = KeyCase()
    for event in history:
        if isinstance(event, KeyCaseEntered):
            case.entered = event
        elif isinstance(event, KeyCasePlanSet):
            case.plan = event
        elif isinstance(event, KeyCaseProgressNoted):
            case.progress.append(event)
        elif isinstance(event, KeyCaseResolved):
            case.resolved = event
    return case


def decide(case: KeyCase, command: EnterKeyCase | SetPlan | NoteProgress | Resolve
           ) -> list[KeyCaseEvent]:
    at, district, case_id = command.at, command.district, command.case_id
    if isinstance(command, EnterKeyCase):
        if case.entered is not None:
            raise DomainRuleViolation("key-case-entered-once",
                                      f"case {case_id} is already in the ledger")
        return [KeyCaseEntered(district=district, occurred_at=at, case_id=case_id,
                               reason=command.reason, evidence=command.evidence,
                               flagged_by=command.flagged_by)]
    if case.entered is None:
        raise DomainRuleViolation("key-case-must-be-entered", f"case {case_id} is not a key case")
    if case.resolved is not None:
        raise DomainRuleViolation("resolve-once", f"key case {case_id} is already resolved")
    if isinstance(command, SetPlan):  # set again while open: the plan is revised
        return [KeyCasePlanSet(district=district, occurred_at=at, case_id=case_id,
                               plan=command.plan, leader_in_charge=command.leader_in_charge,
                               set_by=command.by)]
    if isinstance(command, NoteProgress):
        return [KeyCaseProgressNoted(district=district, occurred_at=at, case_id=case_id,
                                     note=command.note, noted_by=command.by)]
    if case.plan is None:
        raise DomainRuleViolation("plan-before-resolution",
                                  f"key case {case_id} has no plan and leader in charge yet")
    return [KeyCaseResolved(district=district, occurred_at=at, case_id=case_id,
                            outcome=command.outcome, resolved_by=command.by)]
