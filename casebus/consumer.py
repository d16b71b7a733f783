"""Effectively-once consumption: effects, inbox row and position in one PostgreSQL transaction.

Why aiokafka and not a faust agent: faust acknowledges a message when the agent asks for the
next one, and skips messages after an agent exception (faust-streaming #315); with
concurrency > 1 it commits offsets past unprocessed messages (#606). We need to hold a
partition on a transient failure and retry the same message, and to re-read a topic from
offset 0 after the embedded broker restarted empty. aiokafka with manual commits does both.

What a fetch brings, of every partition (each partition's records in their order), is applied
in pages of up to ``consumer_page_size`` events, each page in one transaction: its inbox rows
and the consumer's position in each partition of it go in one statement. So a fetch costs a
transaction or two, not one per partition it touched (sixteen for reporting: at 50 petitions/s
those, one after another, were most of an event's way into reporting). Partitions are
independent (a case's events of one topic share a partition; handlers take another topic's
events in any order), so pages may mix them. If anything in a page fails, nothing of it is kept
and its messages are taken one at a time in a transaction each, as below, so a failure is
judged per event.

Outcomes for each message, in partition order:
- not a CloudEvent, or data that fails the handler's schema  -> dead-letter topic + table;
- an event type the consumer does not handle                -> skipped;
- an event id already in the inbox                          -> skipped (a duplicate);
- otherwise the handler runs inside the transaction that records the inbox row.
Transient failures (database or network: connection errors, SQLSTATE classes 08, 40, 53 and
57P01-57P03) are retried with backoff, forever, without moving on, and do not count as attempts.
Other handler failures are retried ``consumer_max_attempts`` times, then dead-lettered.
A message is dead-lettered once per consumer, also when it is delivered again after a restart:
its event id goes into the inbox with it (so a redelivery is a duplicate), and an unparsable
message is known by the hash of its bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import ValidationError

from casebus import broker_epoch
from casebus.broker_epoch import CLIENT_CALL_SECONDS, stop_client
from casebus.envelope import CloudEvent
from casebus.inbox import ReadAt, enter_inbox, enter_inbox_page, page_ends
from casebus.observability import BROKER_RESTARTS, CONSUMER_LAG, DEADLETTERS, EVENTS_CONSUMED
from casebus.settings import Settings
from casebus.store.relay_wake import wake_relays
from casebus.topics import DEADLETTER
from casebus.transaction_memo import transaction_memo
from casebus.transient import TRANSIENT, is_transient

log = logging.getLogger(__name__)

Handler = Callable[[asyncpg.Connection, CloudEvent], Awaitable[None]]


# Applies a page's new events at once, in their order (a consumer that can write a page's rows
# in a few statements instead of a few per event), told where each was read (by event id); a
# page of one is the one-event path.
PageHandler = Callable[[asyncpg.Connection, list[CloudEvent], Mapping[str, ReadAt]],
                       Awaitable[None]]
class _SeekToBeginning(ConsumerRebalanceListener):  # type: ignore[misc]
    """After a broker restart, committed offsets may be stale or wrong: read each partition
    from offset 0 the first time it is assigned (later rebalances resume normally)."""

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer = consumer
        self.rewound: set[TopicPartition] = set()

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        return None

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        partitions = [tp for tp in assigned if tp not in self.rewound]
        if partitions:
            await self.consumer.seek_to_beginning(*partitions)
            self.rewound.update(partitions)


class InboxConsumer:
    def __init__(self, name: str, topics: list[str], handlers: dict[str, Handler],
                 pool: asyncpg.Pool, settings: Settings,
                 every_other_event: Handler | None = None,
                 page_handler: PageHandler | None = None) -> None:
        self.name = name
        self.topics = topics
        self.handlers = handlers  # by CloudEvent type, e.g. "petition.case.registered.v1"
        self.every_other_event = every_other_event  # e.g. a timeline that keeps every event
        self.page_handler = page_handler  # if set, it applies what the handlers would
        self.pool = pool
        self.settings = settings
        self.consumer: AIOKafkaConsumer | None = None
        self.producer: AIOKafkaProducer | None = None
        self.epoch: str | None = None
        self.watch: broker_epoch.EpochWatch | None = None
        self.stopping = False
        self._uncommitted: dict[TopicPartition, int] = {}  # offsets to commit as a hint
        self._next_commit = 0.0

    async def _start(self, from_beginning: bool) -> None:
        # Bounded: against a broker that has just been replaced, a client can wait forever for
        # a group coordinator. A timeout (an OSError) is transient: close, back off, retry.
        async with asyncio.timeout(CLIENT_CALL_SECONDS * 3):
            await self._connect(from_beginning)

    async def _connect(self, from_beginning: bool) -> None:
        s = self.settings
        self.epoch = await broker_epoch.establish_epoch(
            s.kafka_bootstrap, partitions=s.topic_partitions, replication=s.topic_replication)
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=s.kafka_bootstrap, group_id=self.name,
            enable_auto_commit=False, auto_offset_reset="earliest",
            session_timeout_ms=s.session_timeout_ms, heartbeat_interval_ms=s.heartbeat_interval_ms,
            max_poll_records=500, fetch_max_wait_ms=s.fetch_max_wait_ms)
        listener = _SeekToBeginning(self.consumer) if from_beginning else None
        self.consumer.subscribe(self.topics, listener=listener)
        await self.consumer.start()
        self.producer = AIOKafkaProducer(bootstrap_servers=s.kafka_bootstrap, acks="all")
        await self.producer.start()
        self.watch = broker_epoch.EpochWatch(s.kafka_bootstrap, self.epoch,
                                             s.broker_epoch_check_seconds)
        DEADLETTERS.labels(self.name).set(await self.pool.fetchval(
            "SELECT count(*) FROM dead_letters WHERE consumer = $1", self.name))

    async def _close(self) -> None:
        self._uncommitted = {}  # offsets of this connection's lifetime only
        if self.watch:
            self.watch.stop()
            self.watch = None
        for client in (self.consumer, self.producer):
            if client is not None:
                await stop_client(client)
        self.consumer = self.producer = None

    async def run(self) -> None:
        await self._retry_forever(lambda: self._start(from_beginning=False))
        try:
            while not self.stopping:
                try:
                    await self._poll_once()
                    if self.watch is not None and self.watch.changed.is_set():
                        await self._restart_from_beginning()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    # E.g. the dead-letter topic unreachable. Reconnect; what was not
                    # committed is delivered again and the inbox drops what was applied.
                    log.exception("consumer failed; reconnecting", extra={"consumer": self.name})
                    await self._close()
                    await asyncio.sleep(1.0)
                    await self._retry_forever(lambda: self._start(from_beginning=False))
        finally:
            await self._close()

    async def _poll_once(self) -> None:
        assert self.consumer is not None
        batches = await self.consumer.getmany(timeout_ms=200)
        fetched = [record for records in batches.values() for record in records]
        size = self.settings.consumer_page_size
        for start in range(0, len(fetched), size):
            await self._handle_page(fetched[start:start + size])
        for tp, records in batches.items():
            self._uncommitted[tp] = records[-1].offset + 1
            self._report_lag(tp, records[-1].offset + 1)
        loop = asyncio.get_running_loop()
        if self._uncommitted and (not batches or loop.time() >= self._next_commit):
            await self._commit_hint()
            self._next_commit = loop.time() + self.settings.consumer_commit_seconds

    async def _restart_from_beginning(self) -> None:
        log.warning("broker restarted empty; re-reading from offset 0",
                    extra={"consumer": self.name})
        BROKER_RESTARTS.labels(f"consumer:{self.name}").inc()
        await self._close()
        await self._retry_forever(lambda: self._start(from_beginning=True))

    async def _retry_forever(self, action: Callable[[], Awaitable[None]]) -> None:
        delay = 0.2
        while not self.stopping:
            try:
                await action()
                return
            except (KafkaError, *TRANSIENT) as exc:
                log.warning("cannot reach the broker yet: %s", exc, extra={"consumer": self.name})
                await self._close()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _commit_hint(self) -> None:
        # Broker offsets only spare re-reading; the inbox decides what was applied. So they
        # are committed now and then (every ``consumer_commit_seconds``, and when idle), not
        # after every page: a commit is a round trip to the group coordinator.
        assert self.consumer is not None
        offsets, self._uncommitted = self._uncommitted, {}
        try:
            async with asyncio.timeout(CLIENT_CALL_SECONDS):
                await self.consumer.commit(offsets)
        except (CommitFailedError, KafkaError, TimeoutError) as exc:
            log.info("offset commit skipped: %s", exc, extra={"consumer": self.name})

    def _report_lag(self, tp: TopicPartition, next_offset: int) -> None:
        # The fetch response's high watermark is right even on the embedded broker.
        assert self.consumer is not None
        high = self.consumer.highwater(tp)
        if high is not None:
            CONSUMER_LAG.labels(self.name, tp.topic, tp.partition).set(max(high - next_offset, 0))

    async def _handle_page(self, records: list[ConsumerRecord]) -> None:
        """Apply the page in one transaction; on any failure, one event at a time."""
        page: list[tuple[ConsumerRecord, CloudEvent]] = []
        for record in records if len(records) > 1 else ():
            try:
                page.append((record, CloudEvent.from_bytes(record.value or b"")))
            except (ValueError, ValidationError):
                break  # dead-lettered on the way one by one
        if page and len(page) == len(records):
            try:
                outcomes = await self._apply_page(page)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # nothing of the page was kept
                log.info("page of %d failed (%r); applying its events one by one", len(page),
                         exc, extra={"consumer": self.name})
            else:
                for outcome in outcomes:
                    EVENTS_CONSUMED.labels(self.name, outcome).inc()
                return
        for record in records:
            await self._handle(record)

    async def _apply_page(self, page: list[tuple[ConsumerRecord, CloudEvent]]) -> list[str]:
        async with self.pool.acquire() as conn, conn.transaction():
            with transaction_memo():
                outcomes = await self.apply_fresh(conn, page, save_positions=True)
        wake_relays()  # committed: what the handlers appended can be published now
        return outcomes

    async def apply_fresh(self, conn: asyncpg.Connection,
                          page: list[tuple[ConsumerRecord, CloudEvent]],
                          save_positions: bool = False) -> list[str]:
        """Inside the caller's transaction: the inbox rows of the page's handled events (and,
        if ``save_positions``, the consumer's position at the page's end in each partition),
        then the effects of those not consumed before. The outcome of each event (ignored,
        duplicate or applied), in order."""
        handled = [(r, e) for r, e in page
                   if self.handlers.get(e.type, self.every_other_event) is not None]
        outcomes = ["ignored"] * (len(page) - len(handled))
        ends = page_ends(r for r, _ in page) if save_positions else []
        fresh = await enter_inbox_page(conn, self.name, handled, ends) if handled else set()
        new: list[CloudEvent] = []
        for _, event in handled:
            if event.id not in fresh:
                outcomes.append("duplicate")
                continue
            fresh.discard(event.id)  # the same event twice in a page: apply it once
            new.append(event)
            outcomes.append("applied")
        if self.page_handler is not None:
            read_at = {e.id: ReadAt(r.topic, r.partition, r.offset) for r, e in handled}
            await self.page_handler(conn, new, read_at)
        else:
            for event in new:
                handler = self.handlers.get(event.type, self.every_other_event)
                assert handler is not None
                await handler(conn, event)
        for event in new:
            log.debug("applied", extra=_ids(self.name, event))
        return outcomes

    async def _handle(self, record: ConsumerRecord) -> None:
        try:
            event = CloudEvent.from_bytes(record.value or b"")
        except (ValueError, ValidationError) as exc:
            await self._dead_letter(record, f"not a valid CloudEvent: {_short(exc)}", None)
            return
        handler = self.handlers.get(event.type, self.every_other_event)
        if handler is None:
            EVENTS_CONSUMED.labels(self.name, "ignored").inc()
            return
        attempt, delay = 0, 0.1
        while True:
            try:
                applied = await self._apply(record, event)
                EVENTS_CONSUMED.labels(self.name, "applied" if applied else "duplicate").inc()
                return
            except ValidationError as exc:
                await self._dead_letter(record, f"{event.type} violates its schema: {_short(exc)}",
                                        event)
                return
            except Exception as exc:
                if is_transient(exc):
                    log.warning("transient failure, retrying: %r", exc,
                                extra=_ids(self.name, event))
                else:
                    attempt += 1  # only real failures count towards the limit
                    log.exception("handler failed (attempt %d)", attempt,
                                  extra=_ids(self.name, event))
                    if attempt >= self.settings.consumer_max_attempts:
                        await self._dead_letter(
                            record, f"handler failed {attempt} times: {exc!r}", event)
                        return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _apply(self, record: ConsumerRecord, event: CloudEvent) -> bool:
        async with self.pool.acquire() as conn, conn.transaction():
            with transaction_memo():  # a page of one: the same path and statements
                [outcome] = await self.apply_fresh(conn, [(record, event)], save_positions=True)
        wake_relays()
        return outcome == "applied"

    async def _save_position(self, conn: asyncpg.Connection,
                             record: ConsumerRecord) -> None:
        await conn.execute(
            """INSERT INTO consumer_position (consumer, topic, partition, kafka_offset)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (consumer, topic, partition) DO UPDATE
               SET kafka_offset = excluded.kafka_offset, updated_at = now()""",
            self.name, record.topic, record.partition, record.offset)

    async def _dead_letter(self, record: ConsumerRecord, reason: str,
                           event: CloudEvent | None) -> None:
        assert self.producer is not None
        key = event.id if event is not None else \
            "sha256:" + hashlib.sha256(record.value or b"").hexdigest()
        if await self.pool.fetchval("SELECT true FROM dead_letters WHERE consumer = $1 AND "
                                    "message_key = $2", self.name, key):
            log.info("already dead-lettered; skipped", extra={"consumer": self.name,
                                                              "offset": record.offset})
            async with self.pool.acquire() as conn:
                await self._save_position(conn, record)
            return
        headers = [("reason", reason.encode()), ("consumer", self.name.encode()),
                   ("original-topic", record.topic.encode()),
                   ("original-partition", str(record.partition).encode()),
                   ("original-offset", str(record.offset).encode())]
        await self.producer.send_and_wait(DEADLETTER, record.value, key=record.key,
                                          headers=headers)
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                """INSERT INTO dead_letters (consumer, topic, partition, kafka_offset, reason, raw,
                                             message_key, event_id, event_type, district)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                   ON CONFLICT (consumer, message_key) DO NOTHING""",
                self.name, record.topic, record.partition, record.offset, reason, record.value,
                key, event.id if event else None, event.type if event else None,
                event.district if event else None)
            if event is not None:  # settled: a redelivery is a duplicate, not a new failure
                await enter_inbox(conn, self.name, event, record)
            await self._save_position(conn, record)
            count = await conn.fetchval("SELECT count(*) FROM dead_letters WHERE consumer = $1",
                                        self.name)
        DEADLETTERS.labels(self.name).set(count)
        EVENTS_CONSUMED.labels(self.name, "deadlettered").inc()
        log.error("dead-lettered: %s", reason, extra={"consumer": self.name,
                                                      "topic": record.topic,
                                                      "offset": record.offset})


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        text = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'message'}: {e['msg']}"
                         for e in exc.errors())
    else:
        text = str(exc)
    return text[:500]


def _ids(consumer: str, event: CloudEvent) -> dict[str, str]:
    return {"consumer": consumer, "event_id": event.id, "case_id": event.subject,
            "type": event.type}
