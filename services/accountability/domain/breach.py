"""A breach of a responsibility letter, recorded with its evidence, opens an accountability review.

One stream per breach. Its id is derived from what was breached (``breach_id``), so assessing
the same letter and period again records nothing new rather than a second breach.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from pydantic import AwareDatetime, Field

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import Command, DomainEvent
from services.accountability.domain.letter_assessment import BreachFound


def breach_id(finding: BreachFound) -> str:
    target = finding.target if finding.rate is None else f"{finding.target}:{finding.rate}"
    return (f"breach/{finding.letter_id}/{finding.period_start.isoformat()}"
            f"/{finding.period_end.isoformat()}/{target}")


class BreachRecorded(DomainEvent):
    type_name: ClassVar[str] = "petition.breach.recorded"
    breach_id: str
    finding: BreachFound


class AccountabilityReviewOpened(DomainEvent):
    type_name: ClassVar[str] = "petition.accountability-review.opened"
    breach_id: str
    unit_id: str
    responsible_person: str


class AccountabilityReviewConcluded(DomainEvent):
    type_name: ClassVar[str] = "petition.accountability-review.concluded"
    breach_id: str
    responsibility_confirmed: bool
    conclusion: str
    # Where the unit's error induced a repeat, collective or skip-level petition, the review
    # names the person held responsible (optional: older events have neither field).
    induced_by_unit_error: bool = False
    responsible_person: str | None = None


BreachEvent = BreachRecorded | AccountabilityReviewOpened | AccountabilityReviewConcluded


class RecordBreach(Command):
    at: AwareDatetime
    finding: BreachFound


class ConcludeAccountabilityReview(Command):
    at: AwareDatetime
    district: str
    breach_id: str
    responsibility_confirmed: bool
    conclusion: str = Field(min_length=1)
    induced_by_unit_error: bool = False
    responsible_person: str | None = None


BreachCommand = RecordBreach | ConcludeAccountabilityReview


@dataclass(frozen=True)
class BreachState:
    finding: BreachFound | None = None
    review_open: bool = False
    review_concluded: bool = False


def initial_state() -> BreachState:
    return BreachState()


def evolve(state: BreachState, event: BreachEvent) -> BreachState:
    if isinstance(event, BreachRecorded):
        return replace(state, finding=event.finding)
    if isinstance(event, AccountabilityReviewOpened):
        return replace(state, review_open=True)
    return replace(state, review_open=False, review_concluded=True)


def decide(state: BreachState, command: BreachCommand) -> list[BreachEvent]:
    if isinstance(command, RecordBreach):
        return _record(state, command)
    finding = state.finding
    if finding is None or finding.district != command.district:
        raise DomainRuleViolation("review-needs-a-breach", f"no breach {command.breach_id}")
    if not state.review_open:
        raise DomainRuleViolation("review-concluded-once",
                                  f"the review of {command.breach_id} is already concluded")
    if command.induced_by_unit_error and not (command.responsible_person or "").strip():
        raise DomainRuleViolation("unit-error-names-the-responsible-person",
                                  "a petition induced by the unit's error names who is responsible")
    return [AccountabilityReviewConcluded(
        district=finding.district, occurred_at=command.at, breach_id=command.breach_id,
        responsibility_confirmed=command.responsibility_confirmed,
        conclusion=command.conclusion, induced_by_unit_error=command.induced_by_unit_error,
        responsible_person=command.responsible_person)]


def _record(state: BreachState, command: RecordBreach) -> list[BreachEvent]:
    finding = command.finding
    if state.finding == finding:
        return []  # the same assessment run again: the breach is already on record
    if state.finding is not None:
        raise DomainRuleViolation("breach-recorded-once",
                                  "a different finding is already recorded under this breach id")
    if not finding.case_ids:
        raise DomainRuleViolation("breach-has-evidence", "a breach must name the cases behind it")
    stamp = {"district": finding.district, "occurred_at": command.at,
             "breach_id": breach_id(finding)}
    return [BreachRecorded(**stamp, finding=finding),
            AccountabilityReviewOpened(**stamp, unit_id=finding.unit_id,
                                       responsible_person=finding.responsible_person)]
