"""The shipped national schedule, checked against the notices, and how deadlines use it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import LAW_LIMITS, ClockKind, due_at
from casebus.domain.national_calendar import (
    national_calendar,
    national_schedule,
    parse_schedule,
    scheduled_years,
)

from .calendars import local


def _block(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def test_years_2020_to_2026_are_shipped_with_their_notices() -> None:
    assert scheduled_years() == frozenset(range(2020, 2027))
    numbers = {y: s.source.document_number for y, s in national_schedule().items()}
    assert numbers[2025] == "国办发明电〔2024〕12号"
    assert numbers[2024] == "国办发明电〔2023〕7号"
    assert national_schedule()[2026].source.date == date(2025, 11, 4)
    for year, schedule in national_schedule().items():
        assert schedule.source.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
        assert schedule.source.url.startswith(("http://www.gov.cn/", "https://www.gov.cn/"))


# Make-up working days as each notice lists them ("…上班"), transcribed again by hand.
MAKEUPS = {
    2020: ["01-19", "04-26", "05-09", "06-28", "09-27", "10-10"],  # 02-01 cancelled, see below
    2021: ["02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"],
    2022: ["01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"],
    2023: ["01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"],
    2024: ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"],
    2025: ["01-26", "02-08", "04-27", "09-28", "10-11"],
    2026: ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
}


@pytest.mark.parametrize("year", sorted(MAKEUPS))
def test_makeup_working_days_match_the_notice(year: int) -> None:
    expected = {date.fromisoformat(f"{year}-{md}") for md in MAKEUPS[year]}
    assert national_schedule()[year].makeup_workdays == expected
    assert all(d.weekday() >= 5 for d in expected)  # a make-up day is always a weekend day


@pytest.mark.parametrize(("first", "last"), [
    (date(2025, 1, 28), date(2025, 2, 4)),  # 2025 Spring Festival, from New Year's Eve: 8 days
    (date(2025, 10, 1), date(2025, 10, 8)),  # 2025 National Day and Mid-Autumn: 8 days
    (date(2026, 2, 15), date(2026, 2, 23)),  # 2026 Spring Festival: 9 days
    (date(2024, 2, 10), date(2024, 2, 17)),
    (date(2023, 9, 29), date(2023, 10, 6)),
    (date(2022, 12, 31), date(2023, 1, 2)),  # 2023's New Year block starts in 2022
    (date(2021, 9, 19), date(2021, 9, 21)),
    (date(2020, 1, 24), date(2020, 2, 2)),  # extended by 国办发明电〔2020〕1号
])
def test_holiday_blocks_are_rest_days(first: date, last: date) -> None:
    calendar = national_calendar("beiyuan")
    assert all(not calendar.is_working_day(d) for d in _block(first, last))


def test_statutory_days_off_per_year() -> None:
    # Weekday days off minus make-up days = the law's holidays: 11 a year, 13 from 2025
    # (春节 and 劳动节 one more each); 2020 had 2 more from the Spring Festival extension.
    expected = {2020: 13, 2021: 11, 2022: 11, 2023: 11, 2024: 11, 2025: 13, 2026: 13}
    for year, schedule in national_schedule().items():
        weekdays_off = sum(1 for d in schedule.holidays if d.weekday() < 5)
        assert weekdays_off - len(schedule.makeup_workdays) == expected[year], year


def test_national_day_2025() -> None:
    calendar = national_calendar("beiyuan")
    assert _block(date(2025, 10, 1), date(2025, 10, 8)) <= calendar.holidays
    assert calendar.is_working_day(date(2025, 9, 28))  # Sunday, make-up
    assert calendar.is_working_day(date(2025, 10, 11))  # Saturday, make-up
    assert calendar.is_working_day(date(2025, 10, 9))


def test_the_2020_extension_cancelled_a_makeup_day() -> None:
    calendar = national_calendar("beiyuan")
    assert not calendar.is_working_day(date(2020, 2, 1))
    assert calendar.is_working_day(date(2020, 2, 3))
    assert national_schedule()[2020].amended_by[0].document_number == "国办发明电〔2020〕1号"


@pytest.mark.parametrize(("kind", "start", "due"), [
    # Mon 29 Sep: Tue 30 Sep, Thu 9, Fri 10, Sat 11 (make-up), Mon 13 Oct.
    (ClockKind.RETURN_OUTSIDE_REMIT, local(2025, 9, 29, 10), local(2025, 10, 14)),
    # Fri 26 Sep: Sun 28 (make-up), 29, 30 Sep, 9, 10 Oct.
    (ClockKind.RETURN_OUTSIDE_REMIT, local(2025, 9, 26, 16), local(2025, 10, 11)),
    # 20 Sep + 15 = 5 Oct, a holiday: rolls past the week to Thu 9 Oct.
    (ClockKind.REGISTER_AND_FORWARD, local(2025, 9, 20, 9), local(2025, 10, 10)),
    # 26 Sep + 15 = Sat 11 Oct, a make-up working day: no roll.
    (ClockKind.NOTIFY_ACCEPTANCE, local(2025, 9, 26, 9), local(2025, 10, 12)),
])
def test_deadlines_across_national_day_2025(kind: ClockKind, start: datetime,
                                            due: datetime) -> None:
    assert due_at(start, LAW_LIMITS[kind], national_calendar("beiyuan")) == due


def test_an_unscheduled_year_is_reported_and_counts_weekends_only() -> None:
    heard: list[int] = []
    calendar = replace(national_calendar("beiyuan"), on_unscheduled_year=heard.append)
    assert calendar.is_working_day(date(2026, 12, 31))
    assert heard == []
    # Wed 30 Dec 2026, 5 working days: Thu 31, then 2027 by weekends only: Fri 1 Jan (not
    # known to be a holiday), Mon 4, Tue 5, Wed 6.
    assert due_at(local(2026, 12, 30, 10), LAW_LIMITS[ClockKind.RETURN_OUTSIDE_REMIT],
                  calendar) == local(2027, 1, 7)
    assert set(heard) == {2027}


def test_the_listener_is_not_part_of_the_value_and_untracked_calendars_never_call() -> None:
    heard: list[int] = []
    plain = national_calendar("beiyuan")
    listening = replace(plain, on_unscheduled_year=heard.append)
    assert plain == listening and hash(plain) == hash(listening)
    assert "on_unscheduled_year" not in repr(listening)
    untracked = WorkingDayCalendar("beiyuan", on_unscheduled_year=heard.append)
    assert untracked.is_working_day(date(2031, 3, 3)) and heard == []


def _document(**years: Any) -> dict[str, Any]:
    source = {"title": "t", "document_number": "n", "date": "2030-01-01", "url": "u"}
    return {"covered_years": [int(y[1:]) for y in years],
            "years": {int(y[1:]): {"source": source, **e} for y, e in years.items()}}


def test_the_data_file_is_checked() -> None:
    good = _document(y2031={"holidays": [{"from": "2031-10-01", "to": "2031-10-07"}],
                            "makeup_workdays": ["2031-09-28"]})
    assert len(parse_schedule(good)[2031].holidays) == 7
    with pytest.raises(ValueError, match="covered_years"):
        parse_schedule({**good, "covered_years": [2031, 2032]})
    with pytest.raises(ValueError, match="both holiday and make-up"):
        parse_schedule(_document(y2031={"holidays": ["2031-10-04"],
                                        "makeup_workdays": ["2031-10-04"]}))
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_schedule(_document(y2031={"holidays": [{"from": "2031-10-07",
                                                      "to": "2031-10-01"}]}))
