"""Request bodies of the commands on a case, with examples. Free text is ``Text`` (trimmed,
non-blank, at most 4000 characters), names of bodies ``Line`` (at most 200)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from casebus.fields import Line, Text
from services.intake.domain.facts import (
    AnswerOutcome,
    Evaluator,
    MatterKind,
    NotAcceptedReason,
    ReviewOutcome,
    Satisfaction,
)


def _body(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


class ClassificationIn(BaseModel):
    model_config = _body({"matter_kind": "report",
                          "reason": "The letter accuses the community director of taking bribes."})
    matter_kind: MatterKind
    reason: Text


class NonAcceptanceIn(BaseModel):
    model_config = _body({"reason": "litigation",
                          "explanation": "The dispute over the deposit is before the court."})
    reason: NotAcceptedReason
    explanation: Text


class ReasonIn(BaseModel):
    """Why: told to or by the petitioner, so kept as personal data."""

    model_config = _body({"reason": "The answer ignores the 2015 gas supply contract."})
    reason: Text


class AnswerIn(BaseModel):
    model_config = _body({"outcome": "support",
                          "summary": "The gas company will connect building 3 by 30 June."},
                         {"outcome": "partly-adopted",
                          "summary": "Charging points will be added in the east car park."})
    outcome: AnswerOutcome
    summary: Text  # told to the petitioner


class EvaluationIn(BaseModel):
    model_config = _body({"evaluator": "responsible-unit", "satisfaction": "satisfied"})
    evaluator: Evaluator
    satisfaction: Satisfaction


class ReviewDecisionIn(BaseModel):
    model_config = _body({"reviewing_body": "Beiyuan Street Office", "outcome": "upheld",
                          "summary": "The answer stands: the contract names 2016."})
    reviewing_body: Line
    outcome: ReviewOutcome
    summary: Text


class ReexaminationDecisionIn(BaseModel):
    model_config = _body({"reexamining_body": "Chaoyang District Petition Bureau",
                          "outcome": "revised",
                          "summary": "The gas company pays the connection fee."})
    reexamining_body: Line
    outcome: ReviewOutcome
    summary: Text
