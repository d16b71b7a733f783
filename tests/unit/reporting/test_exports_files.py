"""Export files on their own: CSV text and XLSX cells from a table, headers in both languages,
values named in Chinese, formulas made inert, widths that fit Chinese text; breach periods
named as leaders name them."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook

from services.reporting.adapters.accountability_views import period_label
from services.reporting.domain.periods import DISTRICT_TIME
from services.reporting.service_layer.exports import Table
from services.reporting.service_layer.exports_columns import COLUMNS, RATE_NAMES, Report
from services.reporting.service_layer.exports_files import display_width, to_csv, to_xlsx
from services.reporting.service_layer.exports_values import cell, inert, text


def at(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=DISTRICT_TIME)


OVERDUE = Table(Report.OVERDUE, "2026-05-11", COLUMNS[Report.OVERDUE], [
    {"case_id": "case-1", "kind": "handle-and-answer", "responsible_unit": "燃气公司第一分公司",
     "community": "=cmd|' /C calc'!A0", "category": "gas\x07\x1b",
     "started_at": "2026-04-02T09:00:00+08:00", "due_at": "2026-05-10T09:00:00+08:00",
     "days_overdue": 1, "phase": "running"}], False)


def test_csv_has_a_bom_chinese_headers_and_inert_formulas() -> None:
    raw = to_csv(OVERDUE, "zh")
    assert raw.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header[:3] == ["案件编号", "时限", "责任单位"]
    assert row == ["case-1", "办理答复", "燃气公司第一分公司", "'=cmd|' /C calc'!A0", "gas\x07\x1b",
                   "2026-04-02T09:00:00+08:00", "2026-05-10T09:00:00+08:00", "1", "正常"]


def test_english_keeps_the_codes() -> None:
    header, row = list(csv.reader(io.StringIO(to_csv(OVERDUE, "en").decode("utf-8-sig"))))
    assert header[:3] == ["Case", "Clock", "Responsible unit"]
    assert (row[1], row[8]) == ("handle-and-answer", "running")


def test_xlsx_cells_are_typed_and_formulas_stay_text() -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx(OVERDUE, "zh"))).active
    assert sheet.title == "超期清单"
    assert (sheet["D2"].value, sheet["D2"].data_type) == ("=cmd|' /C calc'!A0", "s")
    assert (sheet["H2"].value, sheet["E2"].value) == (1, "gas")  # no control characters
    # the unit's name is 9 wide characters: 18 columns, plus a margin
    assert sheet.column_dimensions["C"].width == 18 + 2


def test_rates_are_decimal_numbers() -> None:
    rate = COLUMNS[Report.RATES][1]
    assert cell("0.7500", rate, "zh") == Decimal("0.7500")
    assert cell(None, rate, "zh") is None
    assert len(RATE_NAMES) == len(COLUMNS[Report.RATES]) - 1


def test_coded_lists_and_review_status_read_in_chinese() -> None:
    reasons = COLUMNS[Report.KEY_CASES][4]
    assert text(["open-long", "flagged-by-leader"], reasons, "zh") == "长期未结; 领导交办"
    status = COLUMNS[Report.BREACHES][-1]
    assert (text("open", status, "zh"), text("concluded", status, "zh")) == ("审查中", "已结论")


def test_inert_only_touches_formula_starts() -> None:
    assert [inert(v) for v in ("=1", "+1", "-1", "@x", "a=1", "")] == [
        "'=1", "'+1", "'-1", "'@x", "a=1", ""]
    assert display_width("ab燃气") == 6


def test_breach_periods_are_named_as_leaders_name_them() -> None:
    assert period_label(at(2026, 3), at(2026, 4)) == "2026-03"
    assert period_label(at(2026, 1), at(2026, 4)) == "2026-Q1"
    assert period_label(at(2026, 1), at(2027, 1)) == "2026"
    assert period_label(at(2026, 3, 2), at(2026, 3, 9)) == "2026-03-02/2026-03-09"
    assert period_label(at(2026, 12), at(2027, 1)) == "2026-12"
