"""The levels at which a petition is handled: community, street, district.

"Small things do not leave the community, big things do not leave the street": a case starts as
low as it can be handled and is escalated one level at a time, never above the district.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """The level a petition was brought to or is the responsibility of (lowest first)."""

    COMMUNITY = "community"
    STREET = "street"
    DISTRICT = "district"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)


_ORDER = (Level.COMMUNITY, Level.STREET, Level.DISTRICT)
HIGHEST_LEVEL = Level.DISTRICT


def level_above(level: Level) -> Level | None:
    """The next level up, or None at the district (nothing above it handles petitions here)."""
    rank = level.rank
    return _ORDER[rank + 1] if rank + 1 < len(_ORDER) else None
