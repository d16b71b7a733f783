"""The national working-day schedule, shipped as data (``holidays/cn_national.yaml``).

Each year's public holidays and make-up working days (调休) come from that year's notice of the
State Council's General Office (国务院办公厅关于XXXX年部分节假日安排的通知), with its source.
``national_calendar(district)`` is every district's starting point; a district's own
corrections are events applied on top (``calendar_corrections``). A year the file does not
cover is not guessed: the calendar falls back to weekends only and reports the year through
the callback an adapter injects (see ``casebus.domain.calendar``).

Running deadlines and calendar changes: a due instant is computed when its command is decided
and stored in the event (``answer_due``, ``return_deadline``, a clock's ``due_at``). A new
national schedule (a software update) or a district's correction therefore affects only
deadlines computed after it (new clocks, resumptions, extensions); it never rewrites a recorded
deadline, and replays need no calendar.

Pure: the only input is the package's own data file, read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from casebus.domain.calendar import WorkingDayCalendar

DATA_FILE = "holidays/cn_national.yaml"


@dataclass(frozen=True)
class Notice:
    """A State Council General Office notice, and where its text was checked."""

    title: str
    document_number: str
    date: date
    url: str
    checked_against: tuple[str, ...] = ()


@dataclass(frozen=True)
class YearSchedule:
    year: int
    source: Notice
    amended_by: tuple[Notice, ...]
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]


@cache
def national_schedule() -> dict[int, YearSchedule]:
    """Every shipped year's schedule, by year (read once per process)."""
    text = files("casebus.domain").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_schedule(yaml.safe_load(text))


def parse_schedule(document: dict[str, Any]) -> dict[int, YearSchedule]:
    """Parse and check the data file: covered_years must match the years given, and a day
    cannot be both a holiday and a make-up working day."""
    years = {int(y): _year(int(y), entry) for y, entry in document["years"].items()}
    covered = {int(y) for y in document["covered_years"]}
    if covered != set(years):
        raise ValueError(f"covered_years {sorted(covered)} differ from the years given "
                         f"{sorted(years)}")
    return years


def scheduled_years() -> frozenset[int]:
    return frozenset(national_schedule())


def national_calendar(district: str) -> WorkingDayCalendar:
    """The national schedule as ``district``'s calendar, tracking which years it covers."""
    schedule = national_schedule()
    holidays = frozenset().union(*(s.holidays for s in schedule.values()))
    makeups = frozenset().union(*(s.makeup_workdays for s in schedule.values()))
    return WorkingDayCalendar(district=district, holidays=holidays, makeup_workdays=makeups,
                              scheduled_years=frozenset(schedule))


def _year(year: int, entry: dict[str, Any]) -> YearSchedule:
    holidays: set[date] = set()
    for item in entry["holidays"]:
        holidays |= _days(item)
    makeups = frozenset(_date(d) for d in entry.get("makeup_workdays", []))
    if holidays & makeups:
        raise ValueError(f"{year}: both holiday and make-up working day: "
                         f"{sorted(holidays & makeups)}")
    return YearSchedule(
        year=year, source=_notice(entry["source"]),
        amended_by=tuple(_notice(n) for n in entry.get("amended_by", [])),
        holidays=frozenset(holidays), makeup_workdays=makeups)


def _days(item: Any) -> set[date]:
    if isinstance(item, dict):
        first, last = _date(item["from"]), _date(item["to"])
        if last < first:
            raise ValueError(f"holiday block ends before it starts: {item}")
        return {first + timedelta(days=i) for i in range((last - first).days + 1)}
    return {_date(item)}


def _date(value: Any) -> date:
    # YAML reads 2025-10-01 as a date already; a quoted one arrives as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _notice(entry: dict[str, Any]) -> Notice:
    return Notice(title=str(entry["title"]), document_number=str(entry["document_number"]),
                  date=_date(entry["date"]), url=str(entry["url"]),
                  checked_against=tuple(str(u) for u in entry.get("checked_against", [])))
