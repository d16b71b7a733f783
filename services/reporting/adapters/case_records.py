"""Case records kept from the public case events, folded only by ``case_record_fold``.

Each folded event is kept too (``case_record_events``), numbered per case in the order it was
folded: the record row is locked before the number is taken, so two topics' events of one case
are numbered in the order they were applied. Recomputing from the events at or below some log
positions therefore folds them in the same order as the live record was folded.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import asyncpg

from casebus.domain.case_record import CaseRecord
from casebus.domain.case_record import record_from_json as from_json
from casebus.domain.case_record import record_to_json as to_json
from casebus.domain.case_record_fold import counts, empty_record, fold_event
from casebus.envelope import CloudEvent

log = logging.getLogger(__name__)
CASE_EVENT_PREFIX = "petition.case."
KIND_EVENTS = ("petition.case.registered.", "petition.case.reclassified.")
Positions = dict[tuple[str, int], int]


async def fold_into_record(conn: asyncpg.Connection, event: CloudEvent) -> None:
    """Fold one case event (applied once: the timeline guards repeats) into its record."""
    if not event.type.startswith(CASE_EVENT_PREFIX) or event.subject is None:
        return
    data: dict[str, Any] = dict(event.data or {})
    await conn.execute(
        """INSERT INTO case_records (case_id, district, record) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING""",
        event.subject, event.district,
        to_json(empty_record(event.subject, event.district, event.time)))
    row = await conn.fetchrow(
        "SELECT applied, counted, record FROM case_records WHERE case_id = $1 FOR UPDATE",
        event.subject)
    try:
        record = fold_event(from_json(row["record"]), event.type, event.time, data)
    except (KeyError, TypeError, ValueError):
        # A fact the fold cannot read (a field missing or unknown): keep the record as it was
        # rather than dead-letter the event, which the timeline and the views still need.
        log.warning("case event not folded into the case record", exc_info=True,
                    extra={"case_id": event.subject, "event_id": event.id})
        return
    counted = row["counted"]
    if event.type.startswith(KIND_EVENTS):
        counted = counts([(event.type, data)])
    ordinal = row["applied"] + 1
    await conn.execute(
        """UPDATE case_records SET applied = $2, counted = $3, record = $4 WHERE case_id = $1""",
        event.subject, ordinal, counted, to_json(record))
    await conn.execute(
        """INSERT INTO case_record_events (case_id, ordinal, district, wire_type, at, data)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        event.subject, ordinal, event.district, event.type, event.time, data)


def _decode(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def records_and_positions(conn: asyncpg.Connection | asyncpg.Pool, district: str,
                                consumer: str) -> tuple[list[CaseRecord], Positions]:
    """The district's counted records and the consumer's log positions, read by ONE statement
    (one snapshot), so the positions say exactly which applied events the records hold."""
    row = await conn.fetchrow(
        """SELECT (SELECT coalesce(jsonb_agg(record), '[]') FROM case_records
                    WHERE district = $1 AND counted) AS records,
                  (SELECT coalesce(jsonb_agg(jsonb_build_array(topic, partition,
                                                               kafka_offset)), '[]')
                     FROM consumer_position WHERE consumer = $2) AS positions""",
        district, consumer)
    records = [from_json(r) for r in _decode(row["records"])]
    positions = {(t, p): o for t, p, o in _decode(row["positions"])}
    return records, positions


async def records_at(conn: asyncpg.Connection | asyncpg.Pool, district: str,
                     positions: Positions) -> list[CaseRecord]:
    """The district's counted records refolded from its events at or below the positions (an
    event fed without a consumer has no position and is never "at" any)."""
    rows = await conn.fetch(
        """SELECT case_id, wire_type, at, data, topic, partition, kafka_offset
             FROM case_record_events WHERE district = $1 AND topic IS NOT NULL
            ORDER BY case_id, ordinal""", district)
    events: dict[str, list[tuple[str, datetime, dict[str, Any]]]] = {}
    for r in rows:
        if r["kafka_offset"] <= positions.get((r["topic"], r["partition"]), -1):
            events.setdefault(r["case_id"], []).append(
                (r["wire_type"], r["at"], _decode(r["data"])))
    return [record for case_id, history in events.items()
            if (record := refold(case_id, district, history)) is not None]


def refold(case_id: str, district: str, history: list[tuple[str, datetime, dict[str, Any]]]
           ) -> CaseRecord | None:
    """The record of one case from its events in applied order; None for a report."""
    record = empty_record(case_id, district, history[0][1])
    for wire_type, at, data in history:
        record = fold_event(record, wire_type, at, data)
    return record if counts([(w, d) for w, _, d in history]) else None
