"""Which cases a period counts: those whose outcome was settled in it.

A deadline outcome is settled when the thing was done on time, or else when the deadline passed
(done late or not at all). So a late answer counts against the period its deadline fell in, and
a case never counts in two consecutive periods.

A scope's cases are chosen once (``cases_in_scope``, in case-id order); each cohort below is a
filter of them, so it keeps that order, and the rates of one scope share one choice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from operator import attrgetter

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.reporting_period import ReportingPeriod

DoneAndDue = Callable[[CaseRecord], tuple[datetime | None, datetime | None]]
_CASE_ID = attrgetter("case_id")


class ScopedCases(list[CaseRecord]):
    """One scope's records in case-id order: chosen once, then measured by several rates."""

    def __init__(self, cases: Iterable[CaseRecord], scope: Scope) -> None:
        super().__init__(cases)
        self.scope = scope


def cases_in_scope(records: Iterable[CaseRecord], scope: Scope) -> ScopedCases:
    """The scope's cases in case-id order; the very list when it already is that scope's."""
    if isinstance(records, ScopedCases) and records.scope == scope:
        return records
    chosen = ScopedCases(sorted((r for r in records if scope.covers(r)), key=_CASE_ID), scope)
    if len({r.case_id for r in chosen}) != len(chosen):
        raise ValueError("two records for one case: fold each case into exactly one record")
    return chosen


def met_deadline(done: datetime | None, due: datetime | None) -> bool:
    """Done before the deadline. A deadline is the instant its period expired (as
    ``deadlines.due_at`` and the clocks give it), so acting at that instant is already late."""
    return done is not None and due is not None and done < due


def deadline_settled(cases: list[CaseRecord], period: ReportingPeriod,
                     done_and_due: DoneAndDue) -> list[CaseRecord]:
    """Cases with the deadline whose outcome was settled in the period."""

    def settled_at(r: CaseRecord) -> datetime | None:
        done, due = done_and_due(r)
        return done if met_deadline(done, due) else due

    return [r for r in cases if period.contains(settled_at(r))]


def registered(cases: list[CaseRecord], period: ReportingPeriod) -> list[CaseRecord]:
    return [r for r in cases if period.contains(r.registered_at)]


def answered(cases: list[CaseRecord], period: ReportingPeriod) -> list[CaseRecord]:
    return [r for r in cases if period.contains(r.answered_at)]


def closed_after_answer(cases: list[CaseRecord], period: ReportingPeriod) -> list[CaseRecord]:
    """Answered cases closed in the period: their evaluation is settled at closing."""
    return [r for r in cases if r.answered_at is not None and period.contains(r.closed_at)]


def settled_window(record: CaseRecord) -> tuple[datetime, datetime]:
    """The first and the last instant at which any rate can settle the case: every instant the
    functions above compare with a period lies in it. A period that does not overlap the window
    counts the case in no rate, so a store may leave such records out before the rates run."""
    instants = [t for t in (record.registered_at, record.accepted_at, record.acceptance_due,
                            record.answered_at, record.answer_due, record.closed_at)
                if t is not None]
    return min(instants), max(instants)
