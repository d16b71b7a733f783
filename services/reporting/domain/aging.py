"""How long open cases have waited, in buckets of days since registration (leaders' backlog).

Days are counted between local calendar dates: a case registered on the 3rd is 7 days old on
the 10th at any hour, as people in the office count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from casebus.domain.deadlines import CHINA_TZ


@dataclass(frozen=True)
class AgingBucket:
    label: str
    first_day: int
    last_day: int | None  # None: no upper bound

    def holds(self, days: int) -> bool:
        return days >= self.first_day and (self.last_day is None or days <= self.last_day)


AGING_BUCKETS: tuple[AgingBucket, ...] = (
    AgingBucket("0-7", 0, 7),
    AgingBucket("8-15", 8, 15),
    AgingBucket("16-30", 16, 30),
    AgingBucket("31-60", 31, 60),
    AgingBucket(">60", 61, None),
)


def age_in_days(registered_at: datetime, at: datetime, tz: tzinfo = CHINA_TZ) -> int:
    return (at.astimezone(tz).date() - registered_at.astimezone(tz).date()).days


def aging_bucket(days: int) -> str:
    """The label of the bucket holding ``days`` (a case registered "tomorrow", through a
    clock skew between services, counts as new)."""
    for bucket in AGING_BUCKETS:
        if bucket.holds(max(days, 0)):
            return bucket.label
    raise AssertionError("the buckets cover every age")
