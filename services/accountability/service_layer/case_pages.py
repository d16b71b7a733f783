"""A consumer page applied with its cases prepared at once.

The consumer applies a fetched page of events in one transaction (``casebus.consumer``). Each
event's reactions take its case's lock, load the case's clocks and read its case record: three
statements per event, most of them for a case the page names again. Here the page's cases are
locked (in case-id order), their clocks loaded and their records read and row-locked in three
statements for the whole page, kept in the transaction's memo (``casebus.transaction_memo``);
then each event runs its handlers in the page's order as before, finding what it needs there.
A page of one (the consumer's one-event path after a failed page) takes the same path.

Order of locks, as in the one-event path: the cases' advisory locks, then their records' rows,
then any unit's assessment lock (``letter_evaluation``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import asyncpg

from casebus.consumer import Handler
from casebus.envelope import CloudEvent
from casebus.inbox import ReadAt
from services.accountability.adapters import case_records
from services.accountability.service_layer.case_record_reactions import CASE_EVENTS, case_of
from services.accountability.service_layer.clock_keeping import ClockKeeping


class CasePages:
    def __init__(self, keeping: ClockKeeping, handlers: Mapping[str, Handler],
                 clock_types: Collection[str]) -> None:
        self.keeping = keeping
        self.handlers = handlers
        self.clock_types = clock_types  # the events whose reactions decide on the case's clocks

    async def apply(self, conn: asyncpg.Connection, events: list[CloudEvent],
                    _read_at: Mapping[str, ReadAt]) -> None:
        with_clocks = {case_of(e) for e in events if e.type in self.clock_types} - {""}
        with_records = {case_of(e) for e in events if e.type in CASE_EVENTS} - {""}
        await self.keeping.prepare(conn, with_clocks | with_records)
        await case_records.prepare(conn, with_records)
        for event in events:
            await self.handlers[event.type](conn, event)
