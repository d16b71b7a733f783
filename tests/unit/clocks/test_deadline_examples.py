"""Each clock of the law's table, worked by hand on the 2026 National Day week."""

from __future__ import annotations

from datetime import datetime

import pytest

from casebus.domain.deadlines import LAW_LIMITS, ClockKind, DayCount, Limit, due_at

from .calendars import CAL_2026, local


@pytest.mark.parametrize(("kind", "start", "due"), [
    # 16 Sep + 15 = 1 Oct, a holiday: rolls past the whole week to Thu 8 Oct.
    (ClockKind.REGISTER_AND_FORWARD, local(2026, 9, 16, 10), local(2026, 10, 9)),
    # 25 Sep + 15 = Sat 10 Oct, a make-up working day: no roll.
    (ClockKind.NOTIFY_ACCEPTANCE, local(2026, 9, 25, 15), local(2026, 10, 11)),
    # Tue 29 Sep: 30 Sep, 8, 9, Sat 10 (make-up) and Mon 12 Oct are the 5 working days.
    (ClockKind.RETURN_OUTSIDE_REMIT, local(2026, 9, 29, 9), local(2026, 10, 13)),
    # Fri 18 Sep: Sun 20 (make-up), 21, 22, 23, 24 Sep; Fri 25 is Mid-Autumn, not needed.
    (ClockKind.RETURN_OUTSIDE_REMIT, local(2026, 9, 18, 16), local(2026, 9, 25)),
    # 4 Aug + 60 = 3 Oct, a holiday: rolls to 8 Oct.
    (ClockKind.HANDLE_AND_ANSWER, local(2026, 8, 4, 11), local(2026, 10, 9)),
    # 1 Sep + 30 = 1 Oct: rolls to 8 Oct.
    (ClockKind.REQUEST_REVIEW, local(2026, 9, 1, 8), local(2026, 10, 9)),
    # 10 Sep + 30 = Sat 10 Oct, a make-up working day.
    (ClockKind.REVIEW_DECISION, local(2026, 9, 10, 14), local(2026, 10, 11)),
    # Sat 5 Sep (a start on a rest day still counts from the next day) + 30 = 5 Oct: to 8 Oct.
    (ClockKind.REQUEST_REEXAMINATION, local(2026, 9, 5, 9), local(2026, 10, 9)),
    # 14 Sep + 30 = Wed 14 Oct, a working day.
    (ClockKind.REEXAMINATION_DECISION, local(2026, 9, 14, 10), local(2026, 10, 15)),
])
def test_law_limit_on_the_2026_calendar(kind: ClockKind, start: datetime, due: datetime) -> None:
    assert due_at(start, LAW_LIMITS[kind], CAL_2026) == due


def test_supervision_order_sets_its_own_limit() -> None:
    # An order "within 7 days" given Mon 28 Sep: 5 Oct is a holiday, so 8 Oct is the last day.
    assert ClockKind.SUPERVISION not in LAW_LIMITS
    assert due_at(local(2026, 9, 28, 10), Limit(7, DayCount.CALENDAR), CAL_2026) == local(
        2026, 10, 9)


def test_hearing_days_are_not_counted() -> None:
    # Re-examination accepted 14 Sep; hearing 28-29 Sep: due moves from 15 Oct to 17 Oct.
    hearing = frozenset({datetime(2026, 9, 28).date(), datetime(2026, 9, 29).date()})
    limit = LAW_LIMITS[ClockKind.REEXAMINATION_DECISION]
    assert due_at(local(2026, 9, 14, 10), limit, CAL_2026, not_counted=hearing) == local(
        2026, 10, 17)


def test_extension_runs_from_the_end_of_the_original_period() -> None:
    # Original period ends 8 Oct (rolled from 3 Oct); +30 = Sat 7 Nov, so Mon 9 Nov.
    limit = LAW_LIMITS[ClockKind.HANDLE_AND_ANSWER]
    assert due_at(local(2026, 8, 4, 11), limit, CAL_2026, extension_days=30) == local(2026, 11, 10)


def test_local_date_decides_not_utc_date() -> None:
    # 23:30 UTC on 28 Sep is already 29 Sep in China: the period starts a day later.
    utc_evening = datetime.fromisoformat("2026-09-28T23:30:00+00:00")
    limit = LAW_LIMITS[ClockKind.RETURN_OUTSIDE_REMIT]
    assert due_at(utc_evening, limit, CAL_2026) == local(2026, 10, 13)


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        due_at(datetime(2026, 9, 1), LAW_LIMITS[ClockKind.REQUEST_REVIEW], CAL_2026)
