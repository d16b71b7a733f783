"""Reading the case records back: for rates (one period's records and the groups), and for
rankings (the records with the log positions they hold, or refolded at stored positions).
The records are written by ``case_records.fold_into_record`` only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from pydantic_core import from_json as parse

from casebus.domain.case_record import CaseRecord
from casebus.domain.case_record import record_from_json as from_json
from casebus.domain.case_record_fold import counts, empty_record, fold_event
from casebus.domain.reporting_period import ReportingPeriod
from services.reporting.domain.rate_groups import GroupBy

Positions = dict[tuple[str, int], int]


def _decode(value: Any) -> Any:
    return parse(value) if isinstance(value, str) else value


def _records(texts: list[str]) -> list[CaseRecord]:
    """Each record's JSON parsed on its own, not one document of them all: the parsed dicts of
    a month (tens of MB at once) would otherwise stay as the process's peak."""
    return [from_json(parse(text)) for text in texts]


async def records_and_positions(conn: asyncpg.Connection | asyncpg.Pool, district: str,
                                consumer: str) -> tuple[list[CaseRecord], Positions]:
    """The district's counted records and the consumer's log positions, read by ONE statement
    (one snapshot), so the positions say exactly which applied events the records hold."""
    row = await conn.fetchrow(
        """SELECT (SELECT coalesce(array_agg(record::text), '{}') FROM case_records
                    WHERE district = $1 AND counted) AS records,
                  (SELECT coalesce(jsonb_agg(jsonb_build_array(topic, partition,
                                                               kafka_offset)), '[]')
                     FROM consumer_position WHERE consumer = $2) AS positions""",
        district, consumer)
    records = _records(row["records"])
    positions = {(t, p): o for t, p, o in _decode(row["positions"])}
    return records, positions


async def records_settled_in(conn: asyncpg.Connection | asyncpg.Pool, district: str,
                             period: ReportingPeriod, by: GroupBy
                             ) -> tuple[list[CaseRecord], list[str]]:
    """The district's counted records that any rate of the period may count (their settled
    window overlaps it), and every group of kind ``by`` with any counted record, in one
    snapshot. However long the history, this reads about one period's records."""
    row = await conn.fetchrow(
        """SELECT (SELECT coalesce(array_agg(record::text), '{}') FROM case_records
                    WHERE district = $1 AND counted
                      AND (settled_until >= $2 OR settled_until IS NULL)
                      AND (settled_from < $3 OR settled_from IS NULL)) AS records,
                  (SELECT coalesce(array_agg(key), '{}') FROM rate_groups
                    WHERE district = $1 AND by_key = $4 AND records > 0) AS groups""",
        district, period.start, period.end, str(by))
    return _records(row["records"]), list(row["groups"])


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
