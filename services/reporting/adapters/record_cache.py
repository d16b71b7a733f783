"""The case records this process has read, with the row version each was read at.

A month's rates read the same ~20,000 records on every request, and turning each one's JSON
back into a ``CaseRecord`` was half of a read; the rows of most of them have not changed since
the last request. So a read asks only for each row's version (PostgreSQL's ``xmin``: every
write of a row makes a new version with its writer's transaction id, and a rebuild writes every
row anew) and reads the JSON of the rows this process has not seen at that version.

Bounded, least recently read out first: memory stays the same whatever the history's length.
A version is a 32-bit transaction id: a record would be taken for another only if its row
were written again by a transaction with the same id, four billion transactions later, while
the process kept it here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection

from prometheus_client import Counter, Gauge

from casebus.domain.case_record import CaseRecord

CAPACITY = 50_000  # a busy district's month and the month before, about 40 MB

# For operators: many misses on a steady load mean the capacity is below what the districts'
# rates read (every read parses records again: slower, still right).
LOOKUPS = Counter("casebus_record_cache_lookups_total",
                  "Case records asked of reporting's record cache, by outcome (held: at the "
                  "row's version; missed: parsed from the row)", ["outcome"])
EVICTED = Counter("casebus_record_cache_evictions_total",
                  "Case records dropped from reporting's record cache to stay within capacity")
SIZE = Gauge("casebus_record_cache_records", "Case records reporting's record cache holds")
_HELD_NOW, _MISSED = LOOKUPS.labels("held"), LOOKUPS.labels("missed")


class RecordCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._known: OrderedDict[str, tuple[int, CaseRecord]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._known)

    def held(self, versions: Collection[tuple[str, int]]) -> dict[str, CaseRecord]:
        """The records this process read at those row versions, by case id (the others it
        does not hold at that version). Counted once per call, not per record."""
        found: dict[str, CaseRecord] = {}
        for case_id, version in versions:
            entry = self._known.get(case_id)
            if entry is not None and entry[0] == version:
                self._known.move_to_end(case_id)
                found[case_id] = entry[1]
        _HELD_NOW.inc(len(found))
        _MISSED.inc(len(versions) - len(found))
        return found

    def keep(self, case_id: str, version: int, record: CaseRecord) -> None:
        if not self.capacity:
            return
        self._known[case_id] = (version, record)
        self._known.move_to_end(case_id)
        if len(self._known) > self.capacity:
            self._known.popitem(last=False)
            EVICTED.inc()

    def reported(self) -> RecordCache:
        """This cache as the process's: the size gauge reports it (one per process)."""
        SIZE.set_function(self.__len__)
        return self
