"""A case record refuses naive instants (they would compare wrongly across districts' local
times) and goes to JSON and back unchanged; a period holds the same instants in any
offset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from casebus.domain.case_record import (
    CaseRecord,
    Satisfaction,
    record_from_json,
    record_to_json,
)
from casebus.domain.reporting_period import ReportingPeriod

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


@pytest.mark.parametrize("offset_hours", [0, 8, -5])
def test_a_local_month_holds_its_instants_whatever_their_offset(offset_hours: int) -> None:
    """A month in the district's time (+08:00) starts and ends at the same instants in any
    offset: its first instant is in it, its end is not, the instant before its end is."""
    month = ReportingPeriod.month(2026, 3, timezone(timedelta(hours=8)))
    there = timezone(timedelta(hours=offset_hours))
    assert month.contains(month.start.astimezone(there))
    assert not month.contains(month.end.astimezone(there))
    assert month.contains((month.end - timedelta(microseconds=1)).astimezone(there))
    assert not month.contains((month.start - timedelta(microseconds=1)).astimezone(there))
