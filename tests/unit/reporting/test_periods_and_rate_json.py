"""Reporting's pure parts: period names, rates as JSON, case records as JSON, category groups."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

import pytest

from casebus.domain.case_record import CaseRecord
from casebus.domain.case_record import record_from_json as from_json
from casebus.domain.case_record import record_to_json as to_json
from casebus.domain.evaluation import Satisfaction
from casebus.domain.measured_rate import RateKind
from casebus.domain.reporting_period import ReportingPeriod
from services.reporting.domain.periods import (
    DISTRICT_TIME,
    BadPeriod,
    months_back,
    parse_month,
    parse_period,
)
from services.reporting.domain.rate_groups import GroupBy, group_rates
from services.reporting.service_layer.rate_json import decimal_text, rate_json


def local(y: int, m: int, d: int = 1) -> datetime:
    return datetime(y, m, d, tzinfo=DISTRICT_TIME)


@pytest.mark.parametrize(("name", "start", "end"), [
    ("2026-03", local(2026, 3), local(2026, 4)),
    ("2026-12", local(2026, 12), local(2027, 1)),
    ("2026-Q1", local(2026, 1), local(2026, 4)),
    ("2026-Q4", local(2026, 10), local(2027, 1)),
    ("2026", local(2026, 1), local(2027, 1))])
def test_periods_in_the_districts_local_time(name: str, start: datetime, end: datetime) -> None:
    assert parse_period(name) == ReportingPeriod(start, end)


@pytest.mark.parametrize("name", ["2026-00", "2026-13", "2026-Q0", "2026-Q5", "1999",
                                  "2101-01", "2026-3", "", "2026-03 ", "٢٠٢٦"])
def test_bad_period_names(name: str) -> None:
    with pytest.raises(BadPeriod):
        parse_period(name)


def test_a_month_only_where_a_month_is_asked() -> None:
    with pytest.raises(BadPeriod):
        parse_month("2026-Q1")
    assert months_back("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]


def test_quarters_are_numbered_one_to_four() -> None:
    with pytest.raises(ValueError, match="quarters"):
        ReportingPeriod.quarter(2026, 0, DISTRICT_TIME)


def test_rates_as_exact_fractions_and_a_decimal() -> None:
    record = CaseRecord(case_id="c", district="d", category="gas",
                        registered_at=local(2026, 3, 2), is_repeat=True)
    other = CaseRecord(case_id="e", district="d", category="gas",
                       registered_at=local(2026, 3, 3))
    third = CaseRecord(case_id="f", district="d", category="noise",
                       registered_at=local(2026, 3, 3))
    groups = group_rates([record, other, third], parse_period("2026-03"), "d",
                         GroupBy.CATEGORY, Fraction(9, 10))
    assert list(groups) == ["gas", "noise"]
    assert rate_json(groups["gas"][RateKind.REPEAT]) == {
        "numerator": "1", "denominator": 2, "applicable": True, "value": "1/2",
        "decimal": "0.5000"}
    assert rate_json(groups["noise"][RateKind.ON_TIME_ANSWER])["applicable"] is False
    assert decimal_text(Fraction(2, 3)) == "0.6667"


def test_a_case_record_survives_json() -> None:
    record = CaseRecord(case_id="c", district="d", category="gas",
                        registered_at=local(2026, 3, 2), accepted_at=local(2026, 3, 4),
                        unit_evaluation=Satisfaction.BASICALLY_SATISFIED, is_collective=True)
    assert from_json(to_json(record)) == record
