"""Rebuild reporting's read models from the log: every event topic, from offset 0.

The event topics keep every event forever (casebus/topics.py), so they are the log. In ONE
transaction: empty the read models (every table of reporting's database except those below)
and reporting's inbox and positions, then apply every event up to the end the topics had when
the rebuild began, through reporting's own consumer, up to ``PAGE`` records of a partition at
a time. Either the whole rebuild is there or nothing changed. Reporting must be stopped (its
consumer would race the rebuild): refused while another session uses the database. After it,
reporting resumes from its group's committed offsets; what the rebuild already applied is then
a duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from pydantic import ValidationError

from casebus.consumer import InboxConsumer
from casebus.envelope import CloudEvent
from casebus.transient import is_transient

# Not derived from the log: the platform's tables (events and outbox are empty in reporting,
# which publishes nothing; dead letters and their replays are history) and published rankings
# (a leader's command, frozen); the live view's feed, whose positions are keyed by event id, so
# clients resuming after a rebuild see no gap and no repeat. Inbox and positions are emptied of
# reporting's rows only.
KEPT = frozenset({"events", "outbox", "relay_checkpoint", "idempotency_keys", "inbox",
                  "inbox_horizon", "consumer_position", "dead_letters", "dead_letter_replays",
                  "rankings", "event_feed", "event_feed_head"})
# Emptied of the consumer's rows: what it applied, where it was, and the pruning horizon (which
# would otherwise take every event below it for a redelivery).
CONSUMER_TABLES = ("inbox", "inbox_horizon", "consumer_position")
PAGE = 5000  # records of one partition applied at once


class Refused(Exception):
    """The rebuild would be unsafe now (reporting is running)."""


@dataclass
class Outcome:
    tables: list[str]
    events: int = 0
    applied: int = 0
    dead_lettered: int = 0
    seconds: float = 0.0


async def refuse_if_in_use(conn: asyncpg.Connection) -> None:
    others = await conn.fetch(
        """SELECT coalesce(nullif(application_name, ''), client_addr::text, 'local') AS who
           FROM pg_stat_activity WHERE datname = current_database()
           AND pid <> pg_backend_pid() AND backend_type = 'client backend'""")
    if others:
        raise Refused(f"{len(others)} other session(s) use reporting's database (is reporting "
                      "running? stop it first: a rebuild must not race its consumer)")


async def read_models(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                            "ORDER BY tablename")
    return [r["tablename"] for r in rows if r["tablename"] not in KEPT]


async def log_partitions(kafka: AIOKafkaConsumer,
                         topics: list[str]) -> dict[TopicPartition, tuple[int, int]]:
    """Each partition of the topics with its (first, end) offsets now."""
    known = await kafka.topics()
    partitions = [TopicPartition(t, p) for t in topics if t in known
                  for p in sorted(kafka.partitions_for_topic(t) or ())]
    if not partitions:
        return {}
    first = await kafka.beginning_offsets(partitions)
    end = await kafka.end_offsets(partitions)
    return {tp: (first[tp], end[tp]) for tp in partitions}


async def apply_records(conn: asyncpg.Connection, consumer: InboxConsumer,
                        records: list[ConsumerRecord], outcome: Outcome) -> None:
    """As the consumer would: the page at once (inbox rows, position, handlers) in a
    savepoint, and if anything in it fails, one event at a time, each in a savepoint of its
    own; a failure is dead-lettered (without the retries: the same bytes fail the same way
    here). A position is saved once per page, not per record: each save leaves a dead version
    of its row in this one long transaction, slowing every later one."""
    page: list[tuple[ConsumerRecord, CloudEvent]] = []
    for record in records:
        outcome.events += 1
        try:
            page.append((record, CloudEvent.from_bytes(record.value or b"")))
        except (ValueError, ValidationError) as exc:
            await _dead_letter(conn, consumer.name, record, f"not a valid CloudEvent: {exc}",
                               None)
            outcome.dead_lettered += 1
    try:
        async with conn.transaction():  # a savepoint: a failure undoes this page only
            outcomes = await consumer.apply_fresh(conn, page, save_positions=True)
        outcome.applied += outcomes.count("applied")
    except Exception as exc:
        if is_transient(exc):
            raise
        for one in page:
            await _apply_one(conn, consumer, one, outcome)


async def _apply_one(conn: asyncpg.Connection, consumer: InboxConsumer,
                     one: tuple[ConsumerRecord, CloudEvent], outcome: Outcome) -> None:
    record, event = one
    try:
        async with conn.transaction():
            outcomes = await consumer.apply_fresh(conn, [one], save_positions=True)
        outcome.applied += outcomes.count("applied")
    except Exception as exc:
        if is_transient(exc):
            raise
        await _dead_letter(conn, consumer.name, record,
                           f"rebuild: handler failed: {exc!r}"[:2000], event)
        outcome.dead_lettered += 1


async def _dead_letter(conn: asyncpg.Connection, consumer: str, record: ConsumerRecord,
                       reason: str, event: CloudEvent | None) -> None:
    key = event.id if event else "sha256:" + hashlib.sha256(record.value or b"").hexdigest()
    await conn.execute(
        """INSERT INTO dead_letters (consumer, topic, partition, kafka_offset, reason, raw,
                                     message_key, event_id, event_type, district)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (consumer, message_key) DO NOTHING""",
        consumer, record.topic, record.partition, record.offset, reason, record.value, key,
        event.id if event else None, event.type if event else None,
        event.district if event else None)


async def replay_log(conn: asyncpg.Connection, consumer: InboxConsumer, kafka: AIOKafkaConsumer,
                     ends: dict[TopicPartition, int], outcome: Outcome,
                     advance: Callable[[int], None]) -> None:
    """Apply every record up to ``ends`` (partitions already assigned and at their start), a
    partition's records in pages of up to ``PAGE``: a fetch brings a few dozen records of each
    partition, and a page's statements are the same few whatever its size.
    What a fetch brings beyond an end is applied too: reporting will take it for a duplicate.
    (The embedded broker numbers produce batches, not records, so ends only bound the reading.)
    """
    remaining = {tp for tp, end in ends.items() if await kafka.position(tp) < end}
    held: dict[TopicPartition, list[ConsumerRecord]] = {}
    while remaining or held:
        batches = await kafka.getmany(*remaining, timeout_ms=500,
                                      max_records=PAGE) if remaining else {}
        for tp, records in batches.items():
            held.setdefault(tp, []).extend(records)
            if await kafka.position(tp) >= ends[tp]:
                remaining.discard(tp)
        for tp in [tp for tp, records in held.items()
                   if len(records) >= PAGE or tp not in remaining or not batches]:
            records = held.pop(tp)
            await apply_records(conn, consumer, records, outcome)
            advance(len(records))
