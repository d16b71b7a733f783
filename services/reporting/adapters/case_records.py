"""Case records kept from the public case events, folded only by ``case_record_fold``.

Each folded event is kept too (``case_record_events``), numbered per case in the order it was
folded: the record row is locked before the number is taken, so two topics' events of one case
are numbered in the order they were applied. Recomputing from the events at or below some log
positions therefore folds them in the same order as the live record was folded.

The same statement stamps the record's settled window (when rates can count it) and moves its
counts in ``rate_groups``, so a rate reads one period's records and never the whole history
(``case_record_reads``).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.case_record import CaseRecord
from casebus.domain.case_record import record_from_json as from_json
from casebus.domain.case_record import record_to_json as to_json
from casebus.domain.case_record_fold import counts, empty_record, fold_event
from casebus.domain.settled_cases import settled_window
from casebus.envelope import CloudEvent
from services.reporting.domain.rate_groups import GroupBy, group_keys

log = logging.getLogger(__name__)
CASE_EVENT_PREFIX = "petition.case."
KIND_EVENTS = ("petition.case.registered.", "petition.case.reclassified.")


async def fold_into_record(conn: asyncpg.Connection, event: CloudEvent) -> None:
    """Fold one case event (applied once: the timeline guards repeats) into its record: two
    statements, the row locked by the first."""
    if not event.type.startswith(CASE_EVENT_PREFIX) or event.subject is None:
        return
    data: dict[str, Any] = dict(event.data or {})
    applied, counted, before, created = await _locked(conn, event.subject, event.district,
                                                      event.time)
    regrouped: Counter[tuple[GroupBy, str]] = Counter(
        group_keys(before) if created else ())  # a new row counts in its groups at once
    try:
        record = fold_event(before, event.type, event.time, data)
    except (KeyError, TypeError, ValueError):
        # A fact the fold cannot read (a field missing or unknown): keep the record as it was
        # rather than dead-letter the event, which the timeline and the views still need.
        log.warning("case event not folded into the case record", exc_info=True,
                    extra={"case_id": event.subject, "event_id": event.id})
        if regrouped:
            await conn.execute(_regroup_sql(district=1, first=2), event.district,
                               *_deltas(regrouped))
        return
    now_counted = counts([(event.type, data)]) if event.type.startswith(KIND_EVENTS) \
        else counted
    if counted:
        regrouped.subtract(group_keys(before))
    if now_counted:
        regrouped.update(group_keys(record))
    settled_from, settled_until = settled_window(record)
    await conn.execute(
        f"""WITH folded AS (
                UPDATE case_records SET applied = $2, counted = $3, record = $4,
                       settled_from = $5, settled_until = $6 WHERE case_id = $1),
             kept AS (
                INSERT INTO case_record_events (case_id, ordinal, district, wire_type, at, data)
                VALUES ($1, $2, $7, $8, $9, $10)),
             regrouped AS ({_regroup_sql(district=7, first=11)})
            SELECT 1""",
        event.subject, applied + 1, now_counted, to_json(record), settled_from,
        settled_until, event.district, event.type, event.time, data, *_deltas(regrouped))


async def _locked(conn: asyncpg.Connection, case_id: str, district: str, at: datetime
                  ) -> tuple[int, bool, CaseRecord, bool]:
    """The record row locked to the end of the transaction (created empty if it is the case's
    first event here): applied count, counted, record, and whether it was created now. Two
    topics' consumers may fold one case at once: the loser of the insert reads and locks."""
    empty = empty_record(case_id, district, at)
    if await conn.fetchval(
            """INSERT INTO case_records (case_id, district, record, settled_from, settled_until)
               VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING RETURNING true""",
            case_id, district, to_json(empty), at):
        return 0, True, empty, True
    row = await conn.fetchrow(
        "SELECT applied, counted, record FROM case_records WHERE case_id = $1 FOR UPDATE",
        case_id)
    return row["applied"], row["counted"], from_json(row["record"]), False


def _regroup_sql(*, district: int, first: int) -> str:
    """Adds each group's change in counted records; the district and the three arrays of
    ``_deltas`` are parameters ``$district`` and ``$first``.. onwards."""
    return f"""INSERT INTO rate_groups AS g (district, by_key, key, records)
        SELECT ${district}, b, k, n
          FROM unnest(${first}::text[], ${first + 1}::text[], ${first + 2}::int[]) AS t (b, k, n)
        ON CONFLICT (district, by_key, key) DO UPDATE SET records = g.records + EXCLUDED.records"""


def _deltas(changes: Counter[tuple[GroupBy, str]]) -> tuple[list[str], list[str], list[int]]:
    kept = [(by, key, n) for (by, key), n in changes.items() if n]
    return [str(b) for b, _, _ in kept], [k for _, k, _ in kept], [n for _, _, n in kept]
