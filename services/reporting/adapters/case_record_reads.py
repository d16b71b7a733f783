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
from services.reporting.adapters.record_cache import RecordCache
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


def _settled_between(start: str, end: str) -> str:
    """A record whose settled window overlaps the period (its bounds' parameters)."""
    return (f"(settled_until >= {start} OR settled_until IS NULL) "
            f"AND (settled_from < {end} OR settled_from IS NULL)")


# The district's counted records whose settled window overlaps the period ($2, $3).
_SETTLED_IN = ("FROM case_records WHERE district = $1 AND counted AND "
               + _settled_between("$2", "$3"))
_COLUMNS = "case_id, xmin::text::bigint AS version, record::text AS record"


async def records_settled_in(pool: asyncpg.Pool, district: str, period: ReportingPeriod,
                             by: GroupBy, cache: RecordCache | None = None
                             ) -> tuple[list[CaseRecord], list[str]]:
    """The district's counted records that any rate of the period may count (their settled
    window overlaps it), and every group of kind ``by`` with any counted record, in one
    snapshot. However long the history, this reads about one period's records; with a
    ``cache``, the JSON only of those it does not hold at their current row version."""
    cache = cache if cache is not None else RecordCache(capacity=0)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read",
                                                        readonly=True):  # one snapshot
        row = await conn.fetchrow(
            f"""SELECT (SELECT coalesce(array_agg(array[case_id, xmin::text]), '{{}}')
                        {_SETTLED_IN}) AS versions,
                       (SELECT coalesce(array_agg(key), '{{}}') FROM rate_groups
                         WHERE district = $1 AND by_key = $4 AND records > 0) AS groups""",
            district, period.start, period.end, str(by))
        versions: list[list[str]] = row["versions"]  # [case id, row version]
        found = cache.held([(case_id, int(version)) for case_id, version in versions])
        unknown = [case_id for case_id, _ in versions if case_id not in found]
        # Most unknown (a first read): the period's rows in one pass; else those by id. A
        # cursor: a thousand rows' JSON held at a time, not the period's (see ``_records``).
        query, args = ((f"SELECT {_COLUMNS} {_SETTLED_IN}", (district, period.start, period.end))
                       if 2 * len(unknown) > len(versions) else
                       (f"SELECT {_COLUMNS} FROM case_records WHERE case_id = ANY($1)",
                        (unknown,)))
        async for r in conn.cursor(query, *args, prefetch=1000):
            case_id = r["case_id"]
            if case_id not in found:
                found[case_id] = record = from_json(parse(r["record"]))
                cache.keep(case_id, r["version"], record)
    return [found[case_id] for case_id, _ in versions], list(row["groups"])


async def keep_settled_in(pool: asyncpg.Pool, period: ReportingPeriod,
                          cache: RecordCache) -> int:
    """Parse into ``cache`` the counted records of every district that a rate of the period
    may count, the open and latest settled first, up to the cache's capacity; how many."""
    kept = 0
    async with pool.acquire() as conn, conn.transaction(readonly=True):  # (for the cursor)
        async for r in conn.cursor(
                f"""SELECT {_COLUMNS} FROM case_records
                    WHERE counted AND {_settled_between('$1', '$2')}
                    ORDER BY settled_until DESC NULLS FIRST LIMIT $3""",
                period.start, period.end, cache.capacity, prefetch=1000):
            cache.keep(r["case_id"], r["version"], from_json(parse(r["record"])))
            kept += 1
    return kept


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
