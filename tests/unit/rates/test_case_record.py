"""A case record refuses naive instants (they would compare wrongly across districts' local
times) and goes to JSON and back unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from casebus.domain.case_record import (
    CaseRecord,
    Satisfaction,
    record_from_json,
    record_to_json,
)

AT = datetime(2026, 3, 2, 9, tzinfo=timezone(timedelta(hours=8)))


@pytest.mark.parametrize("field", ["registered_at", "answer_due", "closed_at"])
def test_a_naive_instant_is_refused(field: str) -> None:
    values = {"registered_at": AT, field: AT.replace(tzinfo=None)}
    with pytest.raises(ValueError, match=f"{field} of case c-1 is a naive datetime"):
        CaseRecord(case_id="c-1", district="chaoyang", category="gas", **values)


def test_a_record_survives_json() -> None:
    record = CaseRecord(case_id="c-1", district="chaoyang", category="gas", registered_at=AT,
                        answered_at=AT + timedelta(days=3), is_repeat=True,
                        unit_evaluation=Satisfaction.SATISFIED)
    assert record_from_json(record_to_json(record)) == record


def test_reading_back_checks_what_the_constructor_checks() -> None:
    """``record_from_json`` fills the record without ``__init__``: it must refuse what the
    constructor refuses, and give an older record's missing fields their defaults."""
    stored = record_to_json(CaseRecord(case_id="c-1", district="chaoyang", category="gas",
                                       registered_at=AT, closed_at=AT + timedelta(days=9)))
    with pytest.raises(ValueError, match="closed_at of case c-1 is a naive datetime"):
        record_from_json({**stored, "closed_at": "2026-03-11T09:00:00"})
    with pytest.raises(ValueError, match=r"unknown \['colour'\]"):
        record_from_json({**stored, "colour": "red"})
    with pytest.raises(ValueError, match=r"missing \['registered_at'\]"):
        record_from_json({k: v for k, v in stored.items() if k != "registered_at"})
    with pytest.raises(ValueError, match="'fine'"):
        record_from_json({**stored, "unit_evaluation": "fine"})
    older = {k: v for k, v in stored.items() if k not in ("closed_at", "escalated")}
    assert record_from_json(older) == CaseRecord(case_id="c-1", district="chaoyang",
                                                 category="gas", registered_at=AT)


def test_a_record_read_back_is_a_whole_record() -> None:
    """Every field set, the record frozen and hashable as one made by its constructor."""
    record = CaseRecord(case_id="c-2", district="chaoyang", category="gas", registered_at=AT,
                        accepted_at=AT, office_evaluation=Satisfaction.BASICALLY_SATISFIED)
    back = record_from_json(record_to_json(record))
    assert back == record and hash(back) == hash(record)
    assert back.registered_at.tzinfo is UTC  # the same instant, compared fast with others
    assert back.office_evaluation is Satisfaction.BASICALLY_SATISFIED
    with pytest.raises(AttributeError):
        back.category = "water"  # type: ignore[misc]


def test_json_leaves_out_what_has_not_happened_and_reads_either_form() -> None:
    """A field at its default is not stored; a record stored in full (before this) reads the
    same as its compact form."""
    record = CaseRecord(case_id="c-3", district="chaoyang", category="gas", registered_at=AT,
                        answered_at=AT, escalated=True)
    compact = record_to_json(record)
    assert compact == {"case_id": "c-3", "district": "chaoyang", "category": "gas",
                       "registered_at": "2026-03-02T01:00:00+00:00",  # stored in UTC
                       "answered_at": "2026-03-02T01:00:00+00:00", "escalated": True}
    in_full = {"street": None, "community": None, "is_repeat": False, "closed_at": None,
               "unit_evaluation": None, **compact}
    assert record_from_json(in_full) == record_from_json(compact) == record
