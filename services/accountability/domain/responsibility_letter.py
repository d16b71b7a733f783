"""The responsibility letter a street's leaders sign each year with a unit, as a decider.

One stream per district, unit and year (``letter_stream_id``), so "one letter per unit and
year" is decided inside one stream. A revoked letter stays in the history and can no longer
be amended; a new letter may then be signed for the same unit and year.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import Command, DomainEvent
from services.accountability.domain.letter_targets import LetterTargets, check_targets


class ResponsibilityLetter(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    letter_id: str = Field(min_length=1)
    district: str = Field(min_length=1)
    unit_id: str = Field(min_length=1)
    responsible_person: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2999)
    targets: LetterTargets


def letter_stream_id(district: str, unit_id: str, year: int) -> str:
    return f"responsibility-letter/{district}/{unit_id}/{year}"


class ResponsibilityLetterSigned(DomainEvent):
    type_name: ClassVar[str] = "petition.responsibility-letter.signed"
    letter: ResponsibilityLetter
    signed_by: str


class ResponsibilityLetterAmended(DomainEvent):
    type_name: ClassVar[str] = "petition.responsibility-letter.amended"
    letter: ResponsibilityLetter  # the letter as it reads after the amendment
    reason: str


class ResponsibilityLetterRevoked(DomainEvent):
    type_name: ClassVar[str] = "petition.responsibility-letter.revoked"
    letter_id: str
    reason: str


LetterEvent = ResponsibilityLetterSigned | ResponsibilityLetterAmended | ResponsibilityLetterRevoked


class SignResponsibilityLetter(Command):
    at: AwareDatetime
    letter: ResponsibilityLetter
    signed_by: str = Field(min_length=1)


class AmendResponsibilityLetter(Command):
    at: AwareDatetime
    letter: ResponsibilityLetter  # same id, unit and year; new person and/or targets
    reason: str = Field(min_length=1)


class RevokeResponsibilityLetter(Command):
    at: AwareDatetime
    district: str
    letter_id: str
    reason: str = Field(min_length=1)


LetterCommand = SignResponsibilityLetter | AmendResponsibilityLetter | RevokeResponsibilityLetter


@dataclass(frozen=True)
class LetterState:
    letter: ResponsibilityLetter | None = None  # the latest letter of this unit and year
    in_force: bool = False
    revoked_letter_ids: frozenset[str] = frozenset()


def initial_state() -> LetterState:
    return LetterState()


def evolve(state: LetterState, event: LetterEvent) -> LetterState:
    if isinstance(event, ResponsibilityLetterSigned | ResponsibilityLetterAmended):
        return replace(state, letter=event.letter, in_force=True)
    return replace(state, in_force=False,
                   revoked_letter_ids=state.revoked_letter_ids | {event.letter_id})


def decide(state: LetterState, command: LetterCommand) -> list[LetterEvent]:
    if isinstance(command, SignResponsibilityLetter):
        return _sign(state, command)
    if isinstance(command, AmendResponsibilityLetter):
        return _amend(state, command)
    current = _in_force(state, command.letter_id, command.district)
    return [ResponsibilityLetterRevoked(district=current.district, occurred_at=command.at,
                                        letter_id=current.letter_id, reason=command.reason)]


def _sign(state: LetterState, command: SignResponsibilityLetter) -> list[LetterEvent]:
    new = command.letter
    if state.in_force:
        raise DomainRuleViolation("one-letter-per-unit-and-year",
                                  f"unit {new.unit_id} already has a letter for {new.year}")
    old = state.letter
    if old is not None and (old.district, old.unit_id, old.year) != (
            new.district, new.unit_id, new.year):
        raise DomainRuleViolation("one-letter-per-unit-and-year",
                                  "this stream holds the letters of another unit or year")
    if new.letter_id in state.revoked_letter_ids:
        raise DomainRuleViolation("letter-id-unique", f"letter {new.letter_id} existed before")
    check_targets(new.targets)
    return [ResponsibilityLetterSigned(district=new.district, occurred_at=command.at,
                                       letter=new, signed_by=command.signed_by)]


def _amend(state: LetterState, command: AmendResponsibilityLetter) -> list[LetterEvent]:
    new = command.letter
    current = _in_force(state, new.letter_id, new.district)
    if (new.unit_id, new.year) != (current.unit_id, current.year):
        raise DomainRuleViolation("amendment-keeps-unit-and-year",
                                  "an amendment cannot move a letter to another unit or year")
    check_targets(new.targets)
    if new == current:
        return []  # amending to what it already says changes nothing
    return [ResponsibilityLetterAmended(district=new.district, occurred_at=command.at,
                                        letter=new, reason=command.reason)]


def _in_force(state: LetterState, letter_id: str, district: str) -> ResponsibilityLetter:
    if letter_id in state.revoked_letter_ids:
        raise DomainRuleViolation("revoked-letter-is-final", f"letter {letter_id} was revoked")
    letter = state.letter
    if letter is None or not state.in_force or letter.letter_id != letter_id:
        raise DomainRuleViolation("letter-must-be-signed", f"no letter {letter_id} in force")
    if letter.district != district:
        raise DomainRuleViolation("district-sees-only-its-own", "the letter is another district's")
    return letter
