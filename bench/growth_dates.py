"""Each copy of the history lies ``7 * copy`` days back (bench/growth_clone.py): whole weeks, so
a copy keeps its weekdays, its local times and (no daylight saving in the district) its
instants' offsets, and only the calendar date of each instant moves.

So only the date part of a value is rewritten: at snapshot time each date in a row's text
(``2026-12-02`` in COPY's output of a timestamptz or date, inside JSON, and the ``20261202`` of a
case id, bench/growth_ids.py) becomes a %-placeholder named after it, once; each copy fills
them from a mapping of the few distinct dates there are, so a copy costs one string format per
row and never parses a datetime.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

# A date standing alone or starting an ISO instant ("2026-12-02T08:00", "2026-12-02 00:07").
# Not inside a word or a dashed token (an id, a base64 ciphertext), nor a longer number.
DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?=T\d|[^\w-]|$)")
KEY = re.compile(r"%\(([^)]*)\)s")  # a placeholder's name
ID_KEYS = frozenset({"u", "p", "d"})  # the per-copy id prefixes (bench/growth_ids.py)


def _placeholder(match: re.Match[str]) -> str:
    try:
        date.fromisoformat(match.group())
    except ValueError:  # a number shaped like a date: not one
        return match.group()
    return f"%({match.group()})s"


def placehold(text: str) -> str:
    """``text`` (already %-escaped) with every date a placeholder named after it."""
    return DATE.sub(_placeholder, text)


def date_keys(template: str) -> set[str]:
    """The dates a row's template names: ``2026-12-02`` (ISO) or ``c20261202`` (a case id's)."""
    return set(KEY.findall(template)) - ID_KEYS


def shifted(keys: Iterable[str], copy: int) -> dict[str, str]:
    """Each date key's value in copy ``copy``: its date ``7 * copy`` days earlier."""
    back = timedelta(days=7 * copy)
    out = {}
    for key in keys:
        if key.startswith("c"):  # a case id's compact date: the copy's id is a real one
            try:
                day = date(int(key[1:5]), int(key[5:7]), int(key[7:9]))
            except ValueError:  # not a date (never seen): a prefix no date has, unique per copy
                out[key] = f"9{copy:07d}"
                continue
            out[key] = f"{day - back:%Y%m%d}"
        else:
            out[key] = (date.fromisoformat(key) - back).isoformat()
    return out
