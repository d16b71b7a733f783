"""A ``CaseRecord`` as JSON and back: instants as ISO 8601, evaluations by their values."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from casebus.domain.case_record import CaseRecord
from casebus.domain.evaluation import Satisfaction

_INSTANTS = {f.name for f in fields(CaseRecord) if "datetime" in str(f.type)}
_RATINGS = {"office_evaluation", "unit_evaluation"}


def to_json(record: CaseRecord) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in asdict(record).items():
        if isinstance(value, datetime):
            out[name] = value.isoformat()
        elif isinstance(value, Satisfaction):
            out[name] = value.value
        else:
            out[name] = value
    return out


def from_json(data: dict[str, Any]) -> CaseRecord:
    values = dict(data)
    for name in _INSTANTS:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    for name in _RATINGS:
        if values.get(name) is not None:
            values[name] = Satisfaction(values[name])
    return CaseRecord(**values)
