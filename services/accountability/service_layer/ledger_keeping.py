"""Keeping the key-case ledger: entering cases (once, whoever asks first), the leader's plan,
progress and resolution, each appended to the case's stream with its ``key_cases`` row in the
caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from casebus.clock import Clock
from casebus.domain.events import DomainEvent
from casebus.repository import EventSourcedRepository, Metadata
from services.accountability.adapters import ledger_index
from services.accountability.domain import key_case_ledger as ledger


@dataclass(frozen=True)
class Thresholds:
    open_days: int = ledger.DEFAULT_OPEN_DAYS
    petitions: int = ledger.DEFAULT_PETITIONS


def thresholds_from(open_days: dict[str, int], petitions: dict[str, int]
                    ) -> Callable[[str], Thresholds]:
    """A district's thresholds from the settings, the defaults where it names none."""
    default = Thresholds()
    return lambda district: Thresholds(open_days.get(district, default.open_days),
                                       petitions.get(district, default.petitions))


class LedgerKeeping:
    def __init__(self, repository: EventSourcedRepository,
                 thresholds: Callable[[str], Thresholds]) -> None:
        self.repository = repository
        self.thresholds = thresholds

    async def enter(self, conn: asyncpg.Connection, command: ledger.EnterKeyCase,
                    metadata: Metadata) -> bool:
        """Enter the case unless it is already in the ledger (then nothing: idempotent)."""
        # Serialise the enterings of one case (a flag, a repeat and the sweep may race).
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('key-case:' || $1, 0))",
                           command.case_id)
        def decision(history: list[DomainEvent]) -> list[ledger.KeyCaseEvent]:
            case = ledger.state_of(history)
            return [] if case.entered is not None else ledger.decide(case, command)

        new = await self.repository.execute(ledger.stream_of(command.district, command.case_id),
                                            decision, metadata, conn=conn)
        await ledger_index.record(conn, new)
        return bool(new)

    async def run(self, conn: asyncpg.Connection,
                  command: ledger.SetPlan | ledger.NoteProgress | ledger.Resolve,
                  metadata: Metadata) -> ledger.KeyCase:
        """A leader's command on an entry; refusals are ``DomainRuleViolation``s."""
        stream = ledger.stream_of(command.district, command.case_id)
        new = await self.repository.execute(
            stream, lambda h: ledger.decide(ledger.state_of(h), command), metadata, conn=conn)
        await ledger_index.record(conn, new)
        return ledger.state_of(await self.repository.load(stream, conn))

    async def entry(self, db: asyncpg.Connection | None, district: str,
                    case_id: str) -> ledger.KeyCase:
        return ledger.state_of(await self.repository.load(ledger.stream_of(district, case_id),
                                                          db))


@dataclass
class KeyCaseLedger:
    """What the ledger's routes use (``app.state.key_case_ledger``)."""

    pool: asyncpg.Pool
    keeping: LedgerKeeping
    clock: Clock
