"""The facts of one case that rates, rankings and accountability need, and nothing more.

Services fold the events they consume into ``CaseRecord``s; rates never see a service's event
classes, so no service depends on another's. A record holds no personal data of the petitioner.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from casebus.domain.evaluation import Evaluator, Satisfaction


@dataclass(frozen=True, kw_only=True, slots=True)  # slots: a month's rates hold ~20,000
class CaseRecord:
    """One case as rates see it. Times are aware; ``None`` means "has not happened (yet)".

    ``answer_due`` is the deadline after any extension. ``acceptance_due`` is the unit's deadline
    to accept. An evaluation of ``None`` means the petitioner did not evaluate.
    """

    case_id: str
    district: str
    category: str
    registered_at: datetime
    street: str | None = None
    community: str | None = None
    unit_id: str | None = None
    assigned_at: datetime | None = None
    acceptance_due: datetime | None = None
    accepted_at: datetime | None = None
    answer_due: datetime | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    is_repeat: bool = False
    is_collective: bool = False
    is_skip_level: bool = False
    escalated: bool = False
    review_requested: bool = False
    reexamination_requested: bool = False
    office_evaluation: Satisfaction | None = None
    unit_evaluation: Satisfaction | None = None
    attributed_to_unit_error: bool = False

    def __post_init__(self) -> None:
        # Naive times would compare wrongly across districts' local times; refuse them early.
        for name in _INSTANTS:
            value = getattr(self, name)
            if isinstance(value, datetime) and value.tzinfo is None:
                raise ValueError(f"{name} of case {self.case_id} is a naive datetime")

    def evaluation_by(self, evaluator: Evaluator) -> Satisfaction | None:
        if evaluator is Evaluator.PETITION_OFFICE:
            return self.office_evaluation
        return self.unit_evaluation

    @property
    def is_three_visits(self) -> bool:
        """Repeat, collective or skip-level: the kinds of petition that count against a unit."""
        return self.is_repeat or self.is_collective or self.is_skip_level


@dataclass(frozen=True, kw_only=True)
class Scope:
    """Whose cases a rate counts: a whole district, or one street, community or unit in it.

    Fields left ``None`` do not narrow the scope; a scope never crosses districts.
    """

    district: str
    street: str | None = None
    community: str | None = None
    unit_id: str | None = None

    def covers(self, record: CaseRecord) -> bool:
        return (
            record.district == self.district
            and (self.street is None or record.street == self.street)
            and (self.community is None or record.community == self.community)
            and (self.unit_id is None or record.unit_id == self.unit_id)
        )


_INSTANTS = {f.name for f in fields(CaseRecord) if "datetime" in str(f.type)}
_RATINGS = ("office_evaluation", "unit_evaluation")


_FIELDS = tuple(f.name for f in fields(CaseRecord))


def record_to_json(record: CaseRecord) -> dict[str, Any]:
    """A record as JSON (the services store it in jsonb): instants ISO 8601, ratings by value.
    Every field is a scalar: read as it is (``asdict`` deep-copies each value, a third of a
    rebuild's time)."""
    return {name: value.isoformat() if isinstance(value, datetime) else
            value.value if isinstance(value, Satisfaction) else value
            for name in _FIELDS for value in (getattr(record, name),)}


def record_from_json(data: dict[str, Any]) -> CaseRecord:
    """A month's rates read ~20,000 of these: each lookup done once (a rating by a dict, not
    the enum's call; an unknown one still raises ValueError there)."""
    values = dict(data)
    for name in _INSTANTS:
        if (text := values.get(name)) is not None:
            values[name] = datetime.fromisoformat(text)
    for name in _RATINGS:
        if (rating := values.get(name)) is not None:
            values[name] = _SATISFACTION.get(rating) or Satisfaction(rating)
    return CaseRecord(**values)


_SATISFACTION = {s.value: s for s in Satisfaction}
