"""A page of case events folded into their case records at once: what each record becomes,
the events kept with their ordinals, and how many counted records each rate group gains or
loses. Pure; ``adapters.case_records`` reads the records before and writes this after.

The same as folding the events one at a time, in order (tests/integration/reporting/
test_page_projection.py): a record created for the page counts in its groups at once (a new row is
counted), an event the fold cannot read leaves the record as it was, and a registration or
reclassification decides whether the record is counted at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from casebus.domain.case_record import CaseRecord
from casebus.domain.case_record_fold import counts, fold_event
from services.reporting.domain.rate_groups import GroupBy, group_keys

KIND_EVENTS = ("petition.case.registered.", "petition.case.reclassified.")


@dataclass(frozen=True)
class CaseFact:
    """What the fold reads of a case event."""
    case_id: str
    event_id: str
    district: str
    wire_type: str
    at: datetime
    data: dict[str, Any]


@dataclass
class RecordState:
    applied: int  # events folded so far: the next one's ordinal is this plus one
    counted: bool
    record: CaseRecord
    created: bool = False  # the row was made for this page: it counts in its groups at once
    changed: bool = False


@dataclass
class FoldedPage:
    kept: list[tuple[int, CaseFact]] = field(default_factory=list)  # (ordinal, fact)
    regrouped: Counter[tuple[str, GroupBy, str]] = field(default_factory=Counter)
    unreadable: list[tuple[CaseFact, Exception]] = field(default_factory=list)


def fold_page(states: dict[str, RecordState], facts: list[CaseFact]) -> FoldedPage:
    """Fold the facts in order into ``states`` (by case id, each case's record as read and
    locked); returns what to keep and the groups' changes."""
    page = FoldedPage()
    for fact in facts:
        state = states[fact.case_id]
        if state.created:  # counted from its first event on, as the row is made
            page.regrouped.update((fact.district, by, key) for by, key in group_keys(state.record))
            state.created = False
        before = state.record
        try:
            record = fold_event(before, fact.wire_type, fact.at, fact.data)
        except (KeyError, TypeError, ValueError) as exc:  # a fact it cannot read: as it was
            page.unreadable.append((fact, exc))
            continue
        now_counted = counts([(fact.wire_type, fact.data)]) \
            if fact.wire_type.startswith(KIND_EVENTS) else state.counted
        if state.counted:
            page.regrouped.subtract((fact.district, by, key) for by, key in group_keys(before))
        if now_counted:
            page.regrouped.update((fact.district, by, key) for by, key in group_keys(record))
        state.applied += 1
        state.counted, state.record, state.changed = now_counted, record, True
        page.kept.append((state.applied, fact))
    return page
