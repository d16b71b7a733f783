"""Request bodies of routing's commands, with examples for the OpenAPI page."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from casebus.domain.deadlines import DayCount
from casebus.fields import Line, Text


def _body(example: dict[str, JsonValue]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class ReturnIn(BaseModel):
    model_config = _body({"reason": "Gas pipes inside the building belong to the property "
                                    "company, not to the gas company"})
    reason: Text


class ExtensionRequestIn(BaseModel):
    model_config = _body({"days": 30, "reason": "An expert appraisal of the pipes is needed"})
    days: int  # 1-30: the domain refuses others with its rule (409)
    reason: Text  # told to the petitioner if approved (Art. 34)


class ProgressNoteIn(BaseModel):
    model_config = _body({"note": "Pipes surveyed; the connection is scheduled for next week"})
    note: Text


class ApprovalIn(BaseModel):
    model_config = _body({"approver": "head of the gas company"})
    approver: Line | None = None  # default: the leader named by the token


class RefusalIn(BaseModel):
    model_config = _body({"reason": "The appraisal can be done within the time left"})
    reason: Text


class SupervisionOrderIn(BaseModel):
    model_config = _body({"instructions": "Report the connection plan to the street office",
                          "limit_days": 5, "day_count": "working"})
    instructions: Text
    limit_days: Annotated[int, Field(ge=1, le=366)]
    day_count: DayCount = DayCount.WORKING
    unit_id: Line | None = None  # default: the unit holding the case


class EscalationIn(BaseModel):
    model_config = _body({"unit_id": "chaoyang-petition-bureau",
                          "reason": "Collective petition of 40 households"})
    unit_id: Line
    reason: Text


class KeyCaseFlagIn(BaseModel):
    model_config = _body({"reason": "Ten years unresolved; petitioned six times"})
    reason: Text


class TransferIn(BaseModel):
    model_config = _body({"to_unit_id": "housing-construction",
                          "reason": "Every unit the rules name returned it; housing takes it"})
    to_unit_id: Line
    reason: Text
