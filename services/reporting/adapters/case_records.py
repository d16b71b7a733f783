"""Case records kept from the public case events, folded only by ``case_record_fold``.

Each folded event is kept too (``case_record_events``), numbered per case in the order it was
folded, with where the consumer read it in the log: the record row is locked before the number
is taken, so two topics' events of one case are numbered in the order they were applied.
Recomputing from the events at or below some log positions therefore folds them in the same
order as the live record was folded.

The same statement stamps the record's settled window (when rates can count it) and moves its
counts in ``rate_groups``, so a rate reads one period's records and never the whole history
(``case_record_reads``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import asyncpg

from casebus.domain.case_record import record_from_json as from_json
from casebus.domain.case_record import record_to_json as to_json
from casebus.domain.case_record_fold import empty_record
from casebus.domain.settled_cases import settled_window
from casebus.envelope import CloudEvent
from casebus.inbox import ReadAt
from services.reporting.domain.record_page import CaseFact, RecordState, fold_page

log = logging.getLogger(__name__)
CASE_EVENT_PREFIX = "petition.case."


async def fold_into_records(conn: asyncpg.Connection, events: list[CloudEvent],
                            read_at: Mapping[str, ReadAt]) -> None:
    """Fold the case events (each applied once: the timeline guards repeats) into their
    records, in order: three statements for the page, the records locked by the second. An
    event without a place in ``read_at`` (a dead letter's replay) is kept unplaced: no
    positions are ever "at" it."""
    facts = [CaseFact(e.subject, e.id, e.district, e.type, e.time, dict(e.data or {}))
             for e in events if e.type.startswith(CASE_EVENT_PREFIX) and e.subject is not None]
    if not facts:
        return
    states = await _locked(conn, facts)
    page = fold_page(states, facts)
    for fact, exc in page.unreadable:
        # A fact the fold cannot read (a field missing or unknown): the record stays as it
        # was rather than dead-letter the event, which the timeline and the views still need.
        log.warning("case event not folded into the case record: %r", exc,
                    extra={"case_id": fact.case_id, "event_id": fact.event_id})
    changed = [(case_id, s) for case_id, s in states.items() if s.changed]
    windows = [settled_window(s.record) for _, s in changed]
    groups = sorted((key, n) for key, n in page.regrouped.items() if n)  # one lock order
    await conn.execute(
        """WITH folded AS (
               UPDATE case_records r SET applied = u.applied, counted = u.counted,
                      record = u.record, settled_from = u.settled_from,
                      settled_until = u.settled_until
               FROM unnest($1::text[], $2::int[], $3::bool[], $4::jsonb[], $5::timestamptz[],
                           $6::timestamptz[])
                    AS u (case_id, applied, counted, record, settled_from, settled_until)
               WHERE r.case_id = u.case_id),
           kept AS (
               INSERT INTO case_record_events (case_id, ordinal, district, wire_type, at, data,
                                               topic, partition, kafka_offset)
               SELECT * FROM unnest($7::text[], $8::int[], $9::text[], $10::text[],
                                    $11::timestamptz[], $12::jsonb[], $13::text[], $14::int[],
                                    $15::bigint[])),
           regrouped AS (
               INSERT INTO rate_groups AS g (district, by_key, key, records)
               SELECT * FROM unnest($16::text[], $17::text[], $18::text[], $19::int[])
               ON CONFLICT (district, by_key, key)
               DO UPDATE SET records = g.records + EXCLUDED.records)
           SELECT 1""",
        [c for c, _ in changed], [s.applied for _, s in changed],
        [s.counted for _, s in changed], [to_json(s.record) for _, s in changed],
        [w[0] for w in windows], [w[1] for w in windows],
        *_columns([(f.case_id, n, f.district, f.wire_type, f.at, f.data,
                    *read_at.get(f.event_id, _NOWHERE)) for n, f in page.kept], 9),
        *_columns([(d, str(by), key, n) for (d, by, key), n in groups], 4))


async def _locked(conn: asyncpg.Connection, facts: list[CaseFact]) -> dict[str, RecordState]:
    """Each case's record row, locked to the end of the transaction, in case id order (one
    lock order); a case's first event here makes it, empty. Two topics' consumers may fold one
    case at once: the loser of the insert reads and locks."""
    firsts: dict[str, CaseFact] = {}
    for fact in facts:
        firsts.setdefault(fact.case_id, fact)
    empty = {c: empty_record(c, f.district, f.at) for c, f in sorted(firsts.items())}
    created = {row["case_id"] for row in await conn.fetch(
        """INSERT INTO case_records (case_id, district, record, settled_from, settled_until)
           SELECT case_id, district, record, at, at
           FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[])
                WITH ORDINALITY AS n (case_id, district, record, at, i)
           ORDER BY i ON CONFLICT DO NOTHING RETURNING case_id""",
        list(empty), [firsts[c].district for c in empty], [to_json(r) for r in empty.values()],
        [firsts[c].at for c in empty])}
    states = {c: RecordState(0, True, empty[c], created=True) for c in created}
    if others := [c for c in empty if c not in created]:
        for row in await conn.fetch(
                """SELECT case_id, applied, counted, record FROM case_records
                   WHERE case_id = ANY($1::text[]) ORDER BY case_id FOR UPDATE""", others):
            states[row["case_id"]] = RecordState(row["applied"], row["counted"],
                                                 from_json(row["record"]))
    return states


_NOWHERE = (None, None, None)


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as one list per column (unnest's arguments)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width
