"""Case records kept from intake's and routing's public events, and the letters they affect.

Each event is folded into its case's record (``adapters.case_records``, the one fold) in the
transaction of the inbox row; if the record of a unit changed, that unit's letters in force are
assessed at once (``letter_evaluation``). A clock of a unit breaching (accountability's own
``petition.clock.breached.v1``, read back from its own topic) assesses that unit too.

The consumer takes one handler per event type: ``both`` runs a clock reaction and this one in
the same transaction, so neither replaces the other.
"""

from __future__ import annotations

from collections.abc import Mapping

import asyncpg

from casebus.consumer import Handler
from casebus.domain.registered import REGISTERED_V2
from casebus.envelope import CloudEvent
from services.accountability.adapters import case_records, clock_index
from services.accountability.service_layer.clocks_of_case import caused_by
from services.accountability.service_layer.letter_evaluation import LetterEvaluation

# The public case events the fold reads (``casebus.domain.case_record_fold``).
CASE_EVENTS = (REGISTERED_V2, *(f"petition.case.{name}.v1" for name in (
    "registered", "reclassified", "repeat-confirmed", "merged", "unmerged", "assigned",
    "rerouted", "transferred", "escalated", "reopened", "accepted", "extension-approved",
    "answered", "review-requested", "reexamination-requested", "evaluated", "closed")))
CLOCK_BREACHED = "petition.clock.breached.v1"


def case_of(event: CloudEvent) -> str:
    """The case a public event is about."""
    return str((event.data or {}).get("case_id") or event.subject or "")


def both(first: Handler, second: Handler) -> Handler:
    """One handler running ``first`` then ``second`` in the same transaction."""
    async def handle(conn: asyncpg.Connection, event: CloudEvent) -> None:
        await first(conn, event)
        await second(conn, event)
    return handle


def composed(existing: Mapping[str, Handler], added: Mapping[str, Handler]) -> dict[str, Handler]:
    """``existing`` with ``added`` run after it where both handle a type."""
    merged = dict(existing)
    for wire_type, handler in added.items():
        merged[wire_type] = both(merged[wire_type], handler) if wire_type in merged else handler
    return merged


class CaseRecordReactions:
    def __init__(self, evaluation: LetterEvaluation) -> None:
        self.evaluation = evaluation

    @property
    def handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = {t: self.on_case_event for t in CASE_EVENTS}
        return handlers | {CLOCK_BREACHED: self.on_clock_breached}

    async def on_case_event(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        await clock_index.lock_case(conn, case_of(event))  # the same order as the clock reactions
        district, units = await case_records.fold(conn, event)
        for unit_id in sorted(units):
            await self.evaluation.evaluate_unit(conn, district, unit_id, caused_by(event))

    async def on_clock_breached(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        row = await conn.fetchrow("SELECT district, unit_id FROM clocks WHERE clock_id = $1",
                                  str(event.data.get("clock_id", "")))
        if row is None or row["unit_id"] is None:
            return  # a clock of no unit (registration and forwarding) is no letter's target
        await self.evaluation.evaluate_unit(conn, row["district"], row["unit_id"],
                                            caused_by(event))
