"""The inbox: which events a consumer has taken, in the transaction of their effects, and
where it read them (``consumer_position``). Its rows decide what was applied; the broker's
offsets are only a hint (``casebus.consumer``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import asyncpg
from aiokafka import ConsumerRecord

from casebus.envelope import CloudEvent
from casebus.relay import POSITION_HEADER


class ReadAt(NamedTuple):
    """Where the consumer read an event in the log."""

    topic: str
    partition: int
    offset: int



# A new event unless the inbox holds its id, or pruning already passed its position: every
# event of a partition up to the highest pruned position was consumed (a partition is read in
# the order its publisher's relay wrote it), so one at or below it is a redelivery.
_INBOX_INSERT = """
    INSERT INTO inbox (consumer, event_id, topic, partition, published_tx, published_position)
    SELECT $1, $2, $3, $4, $5, $6
    WHERE NOT EXISTS (
        SELECT FROM inbox_horizon h
        WHERE h.consumer = $1 AND h.topic = $3 AND h.partition = $4
          AND (h.published_tx, h.published_position) >= ($5::bigint, $6::bigint))
    ON CONFLICT DO NOTHING RETURNING true"""


def published_position(record: ConsumerRecord) -> tuple[int | None, int | None]:
    """The event's place in its publisher's log, from the relay's header (None if absent)."""
    for name, value in record.headers or ():
        if name == POSITION_HEADER:
            tx, _, position = value.decode().partition(".")
            if tx.isdigit() and position.isdigit():
                return int(tx), int(position)
    return None, None


async def enter_inbox(conn: asyncpg.Connection, consumer: str, event: CloudEvent,
                      record: ConsumerRecord) -> bool:
    """Record that ``consumer`` takes ``event`` now; False if it was consumed before."""
    fresh = await conn.fetchval(_INBOX_INSERT, consumer, event.id, record.topic,
                                record.partition, *published_position(record))
    return bool(fresh)


# The same for a page of events in one statement: the ids of those not consumed before. The
# consumer's positions after the page ($7-$9: topic, partition, offset, one per partition of
# the page; none to save: empty) are saved by the same statement: one round trip less a page.
_INBOX_INSERT_PAGE = """
    WITH saved_position AS (
        INSERT INTO consumer_position (consumer, topic, partition, kafka_offset)
        SELECT $1, * FROM unnest($7::text[], $8::integer[], $9::bigint[])
        ON CONFLICT (consumer, topic, partition) DO UPDATE
        SET kafka_offset = excluded.kafka_offset, updated_at = now()
    )
    INSERT INTO inbox (consumer, event_id, topic, partition, published_tx, published_position)
    SELECT $1, n.event_id, n.topic, n.partition, n.tx, n.position
    FROM unnest($2::text[], $3::text[], $4::integer[], $5::bigint[], $6::bigint[])
         AS n(event_id, topic, partition, tx, position)
    WHERE NOT EXISTS (
        SELECT FROM inbox_horizon h
        WHERE h.consumer = $1 AND h.topic = n.topic AND h.partition = n.partition
          AND (h.published_tx, h.published_position) >= (n.tx, n.position))
    ON CONFLICT DO NOTHING RETURNING event_id"""


async def enter_inbox_page(conn: asyncpg.Connection, consumer: str,
                           page: list[tuple[ConsumerRecord, CloudEvent]],
                           read_up_to: Iterable[ReadAt] = ()) -> set[str]:
    """Record that ``consumer`` takes these events now, and that it has read each partition
    of ``read_up_to`` up to its offset; the ids of the events that are new."""
    published = [published_position(record) for record, _ in page]
    ends = list(read_up_to)
    rows = await conn.fetch(_INBOX_INSERT_PAGE, consumer, [e.id for _, e in page],
                            [r.topic for r, _ in page], [r.partition for r, _ in page],
                            [tx for tx, _ in published], [pos for _, pos in published],
                            [e.topic for e in ends], [e.partition for e in ends],
                            [e.offset for e in ends])
    return {row["event_id"] for row in rows}


def page_ends(records: Iterable[ConsumerRecord]) -> list[ReadAt]:
    """The last offset of each partition among the records."""
    last = {(r.topic, r.partition): r.offset for r in records}
    return [ReadAt(topic, partition, offset) for (topic, partition), offset in last.items()]
