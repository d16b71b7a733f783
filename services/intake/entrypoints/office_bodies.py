"""Request bodies for reception days and service work, with examples. Every integer and string
is bounded (no input may reach the database out of range)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casebus.fields import Line, Text
from services.intake.domain.reception_days import ReceptionOutcome
from services.intake.domain.service_work import MAX_TALLY

Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
Tally = Annotated[int, Field(ge=0, le=MAX_TALLY)]
Cadres = Annotated[list[Line], Field(min_length=1, max_length=200)]


def _body(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


class ReceptionDayIn(BaseModel):
    model_config = _body({"leader_id": "leader-zhao", "day": "2026-03-04",
                          "place": "Street office reception room 1"})
    leader_id: Line
    day: Day
    place: Line


class ReceptionIn(BaseModel):
    """The person received and their matter: personal data, sealed and never published."""

    model_config = _body({"person": "Li Xiuying",
                          "matter": "Building 3 has had no gas since it was completed."})
    person: Line
    matter: Text


class ReceptionOutcomeIn(BaseModel):
    model_config = _body({"outcome": "case-registered", "case_id": "case-0123456789ab"},
                         {"outcome": "answered-on-the-spot"},
                         {"outcome": "guided", "guided_to": "people's court"})
    outcome: ReceptionOutcome
    case_id: Line | None = None  # required for "case-registered"
    guided_to: Line | None = None  # required for "guided"

    @model_validator(mode="after")
    def _names_what_it_needs(self) -> ReceptionOutcomeIn:
        if self.outcome is ReceptionOutcome.CASE_REGISTERED and self.case_id is None:
            raise ValueError("case-registered needs the case_id")
        if self.outcome is ReceptionOutcome.GUIDED and self.guided_to is None:
            raise ValueError("guided needs guided_to")
        return self


class ServiceWorkIn(BaseModel):
    model_config = _body({"community": "Dingjia", "day": "2026-03-07",
                          "cadres": ["cadre-sun", "cadre-zhou"], "demands_resolved": 6,
                          "persons_guided": 23, "notes": "Mediated two parking disputes."})
    community: Line
    day: Day
    cadres: Cadres
    demands_resolved: Tally
    persons_guided: Tally
    notes: Text | None = None


class ServiceWorkCorrectionIn(BaseModel):
    model_config = _body({"cadres": ["cadre-sun", "cadre-zhou"], "demands_resolved": 5,
                          "persons_guided": 23,
                          "reason": "One demand was counted twice."})
    cadres: Cadres
    demands_resolved: Tally
    persons_guided: Tally
    reason: Text


class OfficeAnswer(BaseModel):
    """A command's answer: the record's id (and a new reception's), the events recorded."""

    id: str
    reception_id: str | None = None
    events: list[str]
