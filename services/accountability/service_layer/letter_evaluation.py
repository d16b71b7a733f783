"""Continuous evaluation of responsibility letters: whenever a unit's case records change (or a
clock of the unit breaches, or a letter is signed or amended), every letter in force for that
unit is assessed over its year so far, and each failed target becomes a breach at once.

Once per breach: the breach stream's id is derived from the letter, the letter's year and the
target (``breach.breach_id``; the finding names the letter's whole year as its period, measured
up to the moment of recording), so a later assessment finds the stream and records nothing,
even if the measure got worse. Two instances recording the same breach at once collide on the
stream version (optimistic concurrency): the loser's savepoint is rolled back and it moves on;
and a unit's assessments take turns (an advisory lock), so the second sees the first's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from fractions import Fraction

import asyncpg

from casebus.clock import Clock
from casebus.domain.deadlines import CHINA_TZ
from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from casebus.domain.rates import DEFAULT_BASICALLY_SATISFIED_WEIGHT
from casebus.domain.reporting_period import ReportingPeriod
from casebus.repository import EventSourcedRepository, Metadata
from casebus.store import ConcurrencyError
from casebus.transaction_memo import remember, remembered
from services.accountability.adapters import case_records, letter_index, overdue_cases
from services.accountability.domain import breach
from services.accountability.domain.letter_assessment import BreachFound, assess_letter
from services.accountability.domain.responsibility_letter import ResponsibilityLetter

log = logging.getLogger(__name__)


def letter_year(letter: ResponsibilityLetter) -> ReportingPeriod:
    return ReportingPeriod(datetime(letter.year, 1, 1, tzinfo=CHINA_TZ),
                           datetime(letter.year + 1, 1, 1, tzinfo=CHINA_TZ))


class LetterEvaluation:
    def __init__(self, repository: EventSourcedRepository, clock: Clock,
                 basically_satisfied_weight: Callable[[str], Fraction] = (
                     lambda district: DEFAULT_BASICALLY_SATISFIED_WEIGHT)) -> None:
        self.repository = repository
        self.clock = clock
        self.weight = basically_satisfied_weight  # per district, as reporting counts it

    async def findings(self, conn: asyncpg.Connection, letter: ResponsibilityLetter,
                       now: datetime) -> list[BreachFound]:
        """The letter's failed targets over its year up to ``now`` (none before it starts)."""
        year = letter_year(letter)
        if now <= year.start:
            return []
        so_far = ReportingPeriod(year.start, min(now, year.end))
        records = await case_records.unit_records(conn, letter.district, letter.unit_id,
                                                  so_far)
        overdue = await overdue_cases.overdue_case_ids(conn, letter.district, letter.unit_id,
                                                       so_far.start, so_far.end)
        return [f.model_copy(update={"period_end": year.end})
                for f in assess_letter(letter, records, so_far, overdue,
                                           self.weight(letter.district))]

    async def evaluate_unit(self, conn: asyncpg.Connection, district: str, unit_id: str,
                            metadata: Metadata) -> list[str]:
        """Assess every letter in force for the unit; the ids of the breaches recorded now."""
        # One assessment of a unit at a time (after the case's lock, never before one), so a
        # second sees the first's breaches; the stream version still guards the rest. The lock
        # comes before the letters are read, also for a unit without one: a letter being signed
        # (its assessment holds the lock) and a case event of the unit applied at that moment
        # would otherwise each miss the other's work, and a breach of both together would go
        # unrecorded. In turn, the second reads after the first committed.
        letters = await _locked_letters(conn, district, unit_id)
        now, recorded = self.clock.now(), list[str]()
        for letter in letters:
            for finding in await self.findings(conn, letter, now):
                if await self.record(conn, finding, now, metadata):
                    recorded.append(breach.breach_id(finding))
        return recorded

    async def record(self, conn: asyncpg.Connection, finding: BreachFound, at: datetime,
                     metadata: Metadata) -> bool:
        stream = breach.breach_id(finding)

        def decision(history: list[DomainEvent]) -> list[breach.BreachEvent]:
            state = fold(breach.evolve, breach.initial_state(),
                         [e for e in history if isinstance(e, breach.BreachEvent)])
            if state.finding is not None:
                return []  # recorded the moment the target was first breached
            return breach.decide(state, breach.RecordBreach(at=at, finding=finding))

        try:
            async with conn.transaction():  # a savepoint: a lost race undoes only this
                new = await self.repository.execute(stream, decision, metadata, conn=conn)
                if new:
                    await letter_index.save_breach(conn, stream, finding, at)
        except ConcurrencyError:
            log.info("breach recorded by another instance", extra={"breach_id": stream})
            return False
        except DomainRuleViolation as refused:  # e.g. no evidence: never dead-letter for it
            log.warning("breach not recorded: %s", refused, extra={"breach_id": stream})
            return False
        if new:
            log.info("breach recorded", extra={"breach_id": stream, "unit_id": finding.unit_id})
        return bool(new)


async def _locked_letters(conn: asyncpg.Connection, district: str,
                          unit_id: str) -> list[ResponsibilityLetter]:
    """Take the unit's assessment lock, then read its letters in force. In a consumer's
    transaction both are done once per unit (``casebus.transaction_memo``): the lock is held
    until commit, and no letter of the unit is signed or amended meanwhile, since signing
    assesses under the same lock."""
    key = ("letters-in-force", district, unit_id)
    letters: list[ResponsibilityLetter] | None = remembered(key)
    if letters is None:
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                           f"letters:{district}:{unit_id}")
        letters = await letter_index.letters_in_force(conn, district, unit_id)
        remember(key, letters)
    return letters
