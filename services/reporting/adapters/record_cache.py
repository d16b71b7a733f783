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

from casebus.domain.case_record import CaseRecord

CAPACITY = 50_000  # a busy district's month and the month before, about 40 MB


class RecordCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._known: OrderedDict[str, tuple[int, CaseRecord]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._known)

    def known(self, case_id: str, version: int) -> CaseRecord | None:
        """The record of the case at that row version, if this process read it."""
        entry = self._known.get(case_id)
        if entry is None or entry[0] != version:
            return None
        self._known.move_to_end(case_id)
        return entry[1]

    def keep(self, case_id: str, version: int, record: CaseRecord) -> None:
        if not self.capacity:
            return
        self._known[case_id] = (version, record)
        self._known.move_to_end(case_id)
        if len(self._known) > self.capacity:
            self._known.popitem(last=False)
