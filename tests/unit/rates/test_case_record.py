"""A case record refuses naive instants (they would compare wrongly across districts' local
times) and goes to JSON and back unchanged."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

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
