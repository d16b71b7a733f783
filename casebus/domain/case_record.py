"""The facts of one case that rates, rankings and accountability need, and nothing more.

Services fold the events they consume into ``CaseRecord``s; rates never see a service's event
classes, so no service depends on another's. A record holds no personal data of the petitioner.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from datetime import UTC, datetime
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
_DEFAULTS = tuple((f.name, f.default) for f in fields(CaseRecord))  # MISSING: always kept


def record_to_json(record: CaseRecord) -> dict[str, Any]:
    """A record as JSON (the services store it in jsonb): instants ISO 8601 in UTC, as they are
    read back (a record says the same whether or not it was read back before being written),
    ratings by value, and a field at its default (``None``, ``False``) left out, as reading it
    back restores it: a month's records are read at once, and most of a record's fields have
    not happened yet. Every field is a scalar: read as it is (``asdict`` deep-copies each
    value)."""
    return {name: value.astimezone(UTC).isoformat() if isinstance(value, datetime) else
            value.value if isinstance(value, Satisfaction) else value
            for name, default in _DEFAULTS for value in (getattr(record, name),)
            if value is not default}


def record_from_json(data: dict[str, Any]) -> CaseRecord:
    """A record read back from its JSON. A month's rates read ~20,000 of these, so the record is
    filled slot by slot rather than through ``__init__`` (a frozen dataclass sets each field via
    ``object.__setattr__``: 4 µs of a record's 8.5), and ``__post_init__``'s check is made as
    each instant is read: a naive instant, a missing or an unknown field raise ValueError.
    Instants come back in UTC (a deadline is stored in its district's time): two aware
    datetimes with one tzinfo object compare ~100 times faster than across zones, and rates
    compare each record's instants with the period's UTC bounds and with each other."""
    if not _REQUIRED <= data.keys() <= _NAMES:
        raise ValueError(f"not a case record: missing {sorted(_REQUIRED - data.keys())}, "
                         f"unknown {sorted(data.keys() - _NAMES)}")
    record = object.__new__(CaseRecord)
    for put, name, default, kind in _READ_BACK:
        value = data.get(name, default)
        if value is not None and kind is not _AS_IS:
            if kind is _INSTANT:
                value = datetime.fromisoformat(value)
                if value.tzinfo is not UTC:  # rates compare instants sharing one tzinfo fast
                    if value.tzinfo is None:
                        raise ValueError(f"{name} of case {data['case_id']} is a naive "
                                         "datetime")
                    value = value.astimezone(UTC)
            else:
                value = _SATISFACTION.get(value) or Satisfaction(value)
        put(record, value)
    return record


_AS_IS, _INSTANT, _RATING = "as is", "instant", "rating"
# Each field: its slot's setter, its default, and how its JSON value is read.
_READ_BACK = tuple((getattr(CaseRecord, f.name).__set__, f.name, f.default,
                    _INSTANT if f.name in _INSTANTS else _RATING if f.name in _RATINGS
                    else _AS_IS) for f in fields(CaseRecord))
_NAMES = frozenset(_FIELDS)
_REQUIRED = frozenset(f.name for f in fields(CaseRecord) if f.default is MISSING)
_SATISFACTION = {s.value: s for s in Satisfaction}
