"""``as_of``: the instant a past view of a case describes, from what a person types.

A day (``2026-03-05``) means the end of that day in the district's time zone (the last
microsecond of it, so a clock due at the next midnight is not yet overdue then); an instant
must carry its offset (``2026-03-05T10:00:00+08:00``), since a bare time is ambiguous. A later
instant than now is answered as of now: nothing after now is known, and today's date, whose end
is still to come, must show the case as it stands.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

from casebus.domain.deadlines import CHINA_TZ

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999  # far outside any case; no overflow at the edges


class NotAnInstant(ValueError):
    pass


def as_of_instant(text: str, now: datetime, tz: tzinfo = CHINA_TZ) -> datetime:
    """The instant meant, never after ``now``; ``NotAnInstant`` says why it cannot be read."""
    try:
        if _DAY.fullmatch(text):
            moment = datetime.combine(date.fromisoformat(text), time.max, tzinfo=tz)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise NotAnInstant("a day (2026-03-05) or an instant with its offset "
                           "(2026-03-05T10:00:00+08:00)") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NotAnInstant("an instant needs its offset, e.g. 2026-03-05T10:00:00+08:00")
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise NotAnInstant(f"a year from {EARLIEST_YEAR} to {LATEST_YEAR}")
    return min(moment, now)
