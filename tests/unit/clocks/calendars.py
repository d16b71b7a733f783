"""Calendars for the clock tests: a concrete 2026 one, and a hypothesis strategy for random ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import strategies as st

from casebus.domain.calendar import WorkingDayCalendar
from casebus.domain.deadlines import CHINA_TZ


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# 2026 around National Day: Mid-Autumn Fri 25 Sep; National Day Thu 1 - Wed 7 Oct, with
# make-up working days Sun 20 Sep and Sat 10 Oct.
CAL_2026 = WorkingDayCalendar(
    district="beiyuan",
    holidays=frozenset(
        _days(date(2026, 9, 25), date(2026, 9, 25)) | _days(date(2026, 10, 1), date(2026, 10, 7))
    ),
    makeup_workdays=frozenset({date(2026, 9, 20), date(2026, 10, 10)}),
)


def local(y: int, m: int, d: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=CHINA_TZ)


WINDOW = (date(2025, 12, 1), date(2027, 6, 30))
ZONES = st.sampled_from([CHINA_TZ, UTC, timezone(timedelta(hours=-5))])


@st.composite
def calendars(draw: st.DrawFn) -> WorkingDayCalendar:
    """Random holiday blocks (up to 12 days, like Spring Festival) and weekend make-up days."""
    holidays: set[date] = set()
    blocks = draw(st.lists(st.tuples(st.dates(*WINDOW), st.integers(1, 12)), max_size=15))
    for first, length in blocks:
        holidays |= _days(first, first + timedelta(days=length - 1))
    makeups = {d for d in draw(st.lists(st.dates(*WINDOW), max_size=12))
               if d.weekday() >= 5 and d not in holidays}
    return WorkingDayCalendar("random", frozenset(holidays), frozenset(makeups))


starts = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31),
                      timezones=ZONES)
