"""Cases entering the key-case ledger from the public events: a leader's flag (routing's
``flagged-as-key``), and a matter petitioned many times (intake's confirmed repeats and merges,
counted per repeated case: the repeated case enters). Conclusions without a ``closed`` are kept
so the age sweep leaves those cases out. Every reaction is idempotent and order-tolerant: a
repeat arriving twice counts once, and a case enters once, whichever reason comes first."""

from __future__ import annotations

import logging
from datetime import datetime

import asyncpg

from casebus.consumer import Handler
from casebus.envelope import CloudEvent
from services.accountability.adapters import ledger_index
from services.accountability.domain.key_case_ledger import EnterKeyCase, EntryReason
from services.accountability.service_layer.clocks_of_case import caused_by
from services.accountability.service_layer.ledger_keeping import LedgerKeeping

log = logging.getLogger(__name__)

CONCLUSIONS = ("not-accepted", "withdrawn", "transferred-to-discipline-inspection")


def _type(name: str) -> str:
    return f"petition.case.{name}.v1"


class LedgerReactions:
    def __init__(self, keeping: LedgerKeeping) -> None:
        self.keeping = keeping

    @property
    def handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = {_type(n): self.on_concluded for n in CONCLUSIONS}
        return handlers | {_type("flagged-as-key"): self.on_flagged,
                           _type("repeat-confirmed"): self.on_repeat,
                           _type("merged"): self.on_repeat, _type("unmerged"): self.on_unmerged}

    async def on_flagged(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        data = event.data
        entered = await self.keeping.enter(conn, EnterKeyCase(
            at=_at(event), district=str(data["district"]), case_id=str(data["case_id"]),
            reason=EntryReason.FLAGGED_BY_LEADER, evidence=str(data["reason"]),
            flagged_by=str(data["flagged_by"])), caused_by(event))
        if not entered:
            log.info("flagged case already in the ledger", extra={"case_id": data["case_id"]})

    async def on_repeat(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        data = event.data
        case_id, district = str(data["case_id"]), str(data["district"])
        repeat_of = str(data.get("repeat_of") or data.get("into_case_id"))
        if event.type == _type("merged"):
            await ledger_index.concluded(conn, case_id, ended=True)
        matter = await ledger_index.add_repeat(conn, repeat_of, case_id, district)
        if len(matter) < self.keeping.thresholds(district).petitions:
            return
        await self.keeping.enter(conn, EnterKeyCase(
            at=_at(event), district=district, case_id=repeat_of,
            reason=EntryReason.PETITIONED_MANY_TIMES,
            evidence=f"petitioned {len(matter)} times: cases {', '.join(matter)}"),
            caused_by(event))

    async def on_unmerged(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        # An entry made on the merge stays: the ledger records what was decided then.
        case_id = str(event.data["case_id"])
        await ledger_index.drop_repeat(conn, str(event.data["from_case_id"]), case_id)
        await ledger_index.concluded(conn, case_id, ended=False)

    async def on_concluded(self, conn: asyncpg.Connection, event: CloudEvent) -> None:
        await ledger_index.concluded(conn, str(event.data["case_id"]), ended=True)


def _at(event: CloudEvent) -> datetime:
    stated = event.data.get("occurred_at")
    return datetime.fromisoformat(stated) if isinstance(stated, str) else event.time
