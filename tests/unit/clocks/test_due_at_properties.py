"""Properties of period counting over random calendars, start instants and time zones."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from hypothesis import given
from hypothesis import strategies as st

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import CHINA_TZ, DayCount, Limit, days_not_counted, due_at

from .calendars import ZONES, calendars, starts

calendar_limits = st.builds(Limit, st.integers(1, 90), st.just(DayCount.CALENDAR))
working_limits = st.builds(Limit, st.integers(1, 30), st.just(DayCount.WORKING))
limits = st.one_of(calendar_limits, working_limits)


def last_day(due: datetime, tz: tzinfo) -> date:
    local = due.astimezone(tz)
    assert local.time() == time(0), "a period ends at local midnight"
    return local.date() - timedelta(days=1)


@given(calendars(), starts, calendar_limits, ZONES)
def test_calendar_days_end_on_the_first_working_day_from_start_plus_n(
        cal: WorkingDayCalendar, start: datetime, limit: Limit, tz: tzinfo) -> None:
    due = due_at(start, limit, cal, tz)
    last, nominal = last_day(due, tz), start.astimezone(tz).date() + timedelta(days=limit.days)
    assert cal.is_working_day(last)
    assert last >= nominal
    assert due > start + timedelta(days=limit.days)
    # Rolled forward only over rest days, to the first working day.
    assert all(not cal.is_working_day(nominal + timedelta(days=i))
               for i in range((last - nominal).days))


@given(calendars(), starts, working_limits, ZONES)
def test_working_days_count_exactly_n(cal: WorkingDayCalendar, start: datetime, limit: Limit,
                                      tz: tzinfo) -> None:
    first = start.astimezone(tz).date()
    last = last_day(due_at(start, limit, cal, tz), tz)
    brute = sum(cal.is_working_day(first + timedelta(days=i))
                for i in range(1, (last - first).days + 1))
    assert brute == limit.days
    assert cal.is_working_day(last)


@given(calendars(), starts, limits, ZONES)
def test_agrees_with_the_calendar(cal: WorkingDayCalendar, start: datetime, limit: Limit,
                                  tz: tzinfo) -> None:
    first = start.astimezone(tz).date()
    expected = (cal.add_working_days(first, limit.days) if limit.count == DayCount.WORKING
                else cal.add_calendar_days(first, limit.days))
    assert last_day(due_at(start, limit, cal, tz), tz) == expected


@given(calendars(), starts, limits, ZONES, st.integers(0, 23), st.integers(0, 59))
def test_only_the_local_start_date_matters(cal: WorkingDayCalendar, start: datetime,
                                           limit: Limit, tz: tzinfo, hour: int,
                                           minute: int) -> None:
    local = start.astimezone(tz)
    same_day = local.replace(hour=hour, minute=minute)
    assert due_at(same_day, limit, cal, tz) == due_at(local, limit, cal, tz)


@given(calendars(), starts, limits, st.sets(st.dates(date(2026, 1, 1), date(2027, 3, 31))),
       st.sets(st.dates(date(2026, 1, 1), date(2027, 3, 31))))
def test_more_days_not_counted_never_make_it_due_earlier(
        cal: WorkingDayCalendar, start: datetime, limit: Limit, some: set[date],
        more: set[date]) -> None:
    plain = due_at(start, limit, cal)
    fewer = due_at(start, limit, cal, not_counted=frozenset(some))
    most = due_at(start, limit, cal, not_counted=frozenset(some | more))
    assert plain <= fewer <= most


@given(calendars(), starts, limits, st.integers(0, 30), st.integers(0, 10))
def test_longer_periods_and_extensions_never_end_earlier(
        cal: WorkingDayCalendar, start: datetime, limit: Limit, extension: int,
        extra: int) -> None:
    base = due_at(start, limit, cal)
    assert due_at(start, Limit(limit.days + extra, limit.count), cal) >= base
    extended = due_at(start, limit, cal, extension_days=extension)
    assert extended >= base
    if extension:
        # The extension is its own period from the original last day.
        assert extended == due_at(base - timedelta(hours=1), Limit(extension, limit.count), cal)


@given(starts, st.integers(0, 20 * 24))
def test_pause_removes_the_days_whose_end_it_covers(start: datetime, hours: int) -> None:
    resumed = start + timedelta(hours=hours)
    first, last = start.astimezone(CHINA_TZ).date(), resumed.astimezone(CHINA_TZ).date()
    removed = days_not_counted([(start, resumed)], CHINA_TZ)
    assert removed == {first + timedelta(days=i) for i in range((last - first).days)}
