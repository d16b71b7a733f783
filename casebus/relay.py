"""The outbox relay: publishes committed events to Kafka, in commit-safe order.

The outbox is the events table: an event to publish carries its topic, key and message
(casebus/store/schema.py), so a broker that lost its log is refilled from the log itself.

At-least-once: a row is published, then the checkpoint moves; a crash in between publishes it
again, and consumers drop the duplicate by event id. One relay per service publishes at a time
(a PostgreSQL advisory lock), so scaled-out instances do not interleave one case's events.
The lock lives as long as its connection: the relay reads each batch and saves its checkpoint
over that connection, so a batch is sent only after the connection answered, and if it was
terminated (the lock is gone, another instance may hold it now) the relay stops publishing and
waits for the lock again. Before each batch it also confirms
the broker's lifetime (``broker_epoch.EpochGate``): after the embedded broker lost its log, the
refill must go out before any new event, or a case's events would reach consumers out of order.

The relay sleeps until this process appends events (``relay_wake.wake_on_append``). An
append inside a transaction wakes it before the commit: it then waits for the commit's own
wake-up (the consumer and commands give one) for at most ``COMMIT_GRACE_SECONDS`` before it
reads. Committed rows may still not be readable (they are read below the oldest running
transaction that may write to this database): while the read shows such rows, or after a
wake-up that found nothing, the relay looks again soon, backing off; else it sleeps until
woken. Events appended by other instances are found by looking every ``relay_idle_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import NamedTuple, TypeVar

import asyncpg
from aiokafka import AIOKafkaProducer

from casebus import broker_epoch
from casebus.envelope import CONTENT_TYPE
from casebus.observability import (
    BROKER_RESTARTS,
    EVENTS_PUBLISHED,
    OUTBOX_BACKLOG,
    OUTBOX_OLDEST,
)
from casebus.settings import Settings
from casebus.store.event_store import START, GlobalPosition
from casebus.store.relay_wake import RelayWake, stop_waking, wake_on_append

log = logging.getLogger(__name__)
T = TypeVar("T")
# How long an append in an open transaction may wait for its commit's wake-up before the relay
# looks anyway (an appender that does not wake relays after its commit).
COMMIT_GRACE_SECONDS = 0.025

POSITION_HEADER = "casebus-position"  # "<tx_id>.<position>" of the event in its store

# Committed rows after the checkpoint, in commit-safe order. Only those below the commit
# horizon (``readable``, schema.py's ``commit_horizon``) may go out; the first row that is not
# says more will be readable soon (its body is left out: it is read again then).
# MATERIALIZED: the horizon once per read (a subquery in FROM was flattened into a call per row).
_PENDING = """
    WITH horizon AS MATERIALIZED (SELECT commit_horizon() AS below)
    SELECT position, tx_id::text::bigint AS tx, event_id::text, topic, key,
           tx_id < horizon.below AS readable,
           CASE WHEN tx_id < horizon.below THEN message::text END AS message
    FROM events CROSS JOIN horizon
    WHERE topic IS NOT NULL AND (tx_id, position) > ($1::text::xid8, $2::bigint)
    ORDER BY tx_id, position
    LIMIT $3"""


class Batch(NamedTuple):
    published: int
    full: bool       # as many as a batch holds: read on at once
    held_back: bool  # committed rows not readable yet: an older transaction still runs


class LockLost(Exception):
    """The connection holding the relay's advisory lock is gone, and the lock with it."""


class BrokerLostItsLog(Exception):
    """The broker is no longer in the lifetime this relay was publishing into."""


class CheckpointAhead(RuntimeError):
    """The stored checkpoint lies beyond this server's transaction ids."""


class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool, settings: Settings, name: str | None = None) -> None:
        self.pool = pool
        self.settings = settings
        self.name = name or settings.service
        self.epoch: str | None = None
        self.watch: broker_epoch.EpochWatch | None = None
        self.gate: broker_epoch.EpochGate | None = None
        self.producer: AIOKafkaProducer | None = None
        self.stopping = False
        self._position: GlobalPosition | None = None  # the checkpoint, once read or saved
        self._lock_conn: asyncpg.Connection | None = None
        self._appended = RelayWake()  # set when this process appends events

    async def checkpoint(self) -> GlobalPosition:
        if self._position is None:
            row = await self.pool.fetchrow(
                "SELECT tx_id::text::bigint AS tx, position FROM relay_checkpoint "
                "WHERE relay = $1", self.name)
            self._position = GlobalPosition(row["tx"], row["position"]) if row else START
        return self._position

    async def _save(self, conn: asyncpg.Connection, pos: GlobalPosition) -> None:
        await conn.execute(
            """INSERT INTO relay_checkpoint (relay, tx_id, position, epoch)
               VALUES ($1, $2::text::xid8, $3, $4)
               ON CONFLICT (relay) DO UPDATE SET tx_id = excluded.tx_id,
               position = excluded.position, epoch = excluded.epoch, updated_at = now()""",
            self.name, str(pos.tx_id), pos.position, self.epoch)
        self._position = pos

    async def _start_producer(self) -> None:
        if self.producer:
            await broker_epoch.stop_client(self.producer)
        self.producer = AIOKafkaProducer(bootstrap_servers=self.settings.kafka_bootstrap,
                                         acks="all", linger_ms=2)
        async with asyncio.timeout(broker_epoch.CLIENT_CALL_SECONDS):
            await self.producer.start()

    async def publish_pending(self) -> Batch:
        """Publish one batch of the readable rows."""
        assert self.producer is not None
        after = await self.checkpoint()
        limit = self.settings.relay_batch_size
        seen = await self._holding_lock(
            lambda db: db.fetch(_PENDING, str(after.tx_id), after.position, limit, timeout=5))
        rows = list(itertools.takewhile(lambda r: r["readable"], seen))
        batch = Batch(len(rows), len(rows) == limit, len(rows) < len(seen))
        if not rows:
            return batch
        await self._confirm_lifetime()
        content_type = ("content-type", CONTENT_TYPE.encode())
        # The event's place in this service's log: consumers prune their inbox by it.
        sent = [await self.producer.send(
                    r["topic"], r["message"].encode(), key=r["key"].encode(),
                    headers=[content_type,
                             (POSITION_HEADER, f"{r['tx']}.{r['position']}".encode())])
                for r in rows]
        await asyncio.gather(*sent)  # every record acknowledged by all in-sync replicas
        last = GlobalPosition(rows[-1]["tx"], rows[-1]["position"])
        await self._holding_lock(lambda db: self._save(db, last))
        EVENTS_PUBLISHED.labels(self.name).inc(len(rows))
        return batch

    async def _confirm_lifetime(self) -> None:
        if self.gate is None:
            return  # publishing by hand (tests, tools)
        try:
            same = await self.gate.still_open(self.producer)
        except Exception as exc:  # unconfirmed: establishing again checks it properly
            raise BrokerLostItsLog(f"cannot confirm the broker's lifetime: {exc!r}") from exc
        if not same:
            raise BrokerLostItsLog("the broker restarted without its log")

    async def _establish(self) -> None:
        """Join the broker's current lifetime. A checkpoint saved in another lifetime (the
        broker restarted empty, while this relay ran or while the whole system was down) is
        worthless: publish the outbox again from the start."""
        s = self.settings
        self.epoch = await broker_epoch.establish_epoch(
            s.kafka_bootstrap, partitions=s.topic_partitions, replication=s.topic_replication)
        published_into = await self.pool.fetchval(
            "SELECT epoch FROM relay_checkpoint WHERE relay = $1", self.name)
        if published_into is not None and published_into != self.epoch:
            log.warning("broker lost its log; republishing the outbox from the start",
                        extra={"relay": self.name})
            BROKER_RESTARTS.labels(f"relay:{self.name}").inc()
            async with self.pool.acquire() as conn:
                await self._save(conn, START)
        await self._start_producer()
        if self.watch:
            self.watch.stop()
        self.watch = broker_epoch.EpochWatch(s.kafka_bootstrap, self.epoch,
                                             s.broker_epoch_check_seconds)
        if self.gate:
            await self.gate.close()
        self.gate = broker_epoch.EpochGate(s.kafka_bootstrap, self.epoch)

    async def _refuse_checkpoint_ahead(self) -> None:
        """A checkpoint above every transaction this server has run means the database was
        restored into another cluster: new rows would sort below it and never be published.
        Refuse to run (readiness fails) rather than stay silent."""
        after = await self.checkpoint()
        current = await self.pool.fetchval("SELECT pg_current_xact_id()::text::bigint")
        if after.tx_id > current:
            raise CheckpointAhead(
                f"relay {self.name}'s checkpoint (transaction {after.tx_id}) is ahead of this "
                f"server's transactions ({current}): the database was restored elsewhere. "
                "Reset it with: DELETE FROM relay_checkpoint WHERE relay = "
                f"'{self.name}' (the outbox is published again; consumers drop duplicates)")

    async def _holding_lock(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """``work`` over the lock's connection: that it answers shows the lock is still held.
        Publishing by hand (tests, tools: no lock taken), over a pooled connection."""
        if self._lock_conn is None:
            async with self.pool.acquire() as conn:
                return await work(conn)
        try:
            return await work(self._lock_conn)
        except Exception as exc:
            raise LockLost(f"relay {self.name} lost its lock: {exc!r}") from exc

    async def _update_backlog(self) -> None:
        after = await self.checkpoint()
        row = await self.pool.fetchrow(
            """SELECT count(*) AS n,
                      coalesce(extract(epoch FROM now() - min(recorded_at)), 0) AS oldest
               FROM events
               WHERE topic IS NOT NULL AND (tx_id, position) > ($1::text::xid8, $2::bigint)""",
            str(after.tx_id), after.position)
        OUTBOX_BACKLOG.labels(self.name).set(row["n"])
        OUTBOX_OLDEST.labels(self.name).set(float(row["oldest"]))

    async def run(self) -> None:
        """Publish until stopped. Holds the relay's advisory lock on a dedicated connection."""
        try:
            await self._run()
        finally:
            await self.stop()

    async def _run(self) -> None:
        await self._refuse_checkpoint_ahead()
        while not self.stopping:
            try:
                await self._run_holding_lock()
            except LockLost as exc:
                log.error("%s; waiting for the lock again", exc, extra={"relay": self.name})
                self._position = None  # the instance that published meanwhile moved it
                await asyncio.sleep(0.5)
            except (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError) as exc:
                log.warning("cannot hold the relay lock: %r", exc, extra={"relay": self.name})
                await asyncio.sleep(1.0)

    async def _run_holding_lock(self) -> None:
        lock = f"relay:{self.name}"
        async with self.pool.acquire() as lock_conn:
            await lock_conn.execute("SELECT pg_advisory_lock(hashtext($1))", lock)
            self._lock_conn = lock_conn
            wake_on_append(self._appended)
            try:
                await self._publish_while_holding()
            finally:
                self._lock_conn = None
                stop_waking(self._appended)
                # The pool does not reset released connections (casebus.store.pool): give
                # the lock back here; a broken connection is closed, and the lock with it.
                with contextlib.suppress(Exception):
                    await lock_conn.execute("SELECT pg_advisory_unlock(hashtext($1))", lock,
                                            timeout=5)

    async def _publish_while_holding(self) -> None:
        delay = 0.2
        while self.producer is None and not self.stopping:
            try:
                await self._establish()
            except Exception as exc:
                log.warning("cannot reach the broker yet: %s", exc, extra={"relay": self.name})
                self.producer = None
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        loop = asyncio.get_running_loop()
        next_gauge = loop.time()
        soon = 0.0  # after a wake-up that found nothing: how long until looking again
        while not self.stopping:
            try:
                assert self.watch is not None
                if self.watch.changed.is_set():
                    await self._establish()  # the broker lost its log: start over
                woken, committed = self._appended.take()  # a later commit wakes us again
                if woken and not committed:
                    # Appended in a transaction still open: its commit wakes us (the consumer
                    # and commands say so); reading before it would find nothing.
                    await self._sleep(COMMIT_GRACE_SECONDS)
                    self._appended.take()
                try:
                    batch = await self.publish_pending()
                except BrokerLostItsLog:
                    await self._establish()  # noticed before publishing: start over
                    continue
                if loop.time() >= next_gauge:
                    await self._update_backlog()
                    next_gauge = loop.time() + 5.0
                if batch.full:
                    soon = 0.0
                    continue
                # Rows committed but not readable yet (an older transaction still runs), or
                # woken and nothing found: look again in 2, 4, ... 256 ms. Else everything
                # committed is out: sleep until woken (or ``relay_idle_seconds``).
                if batch.held_back:
                    soon = min(soon * 2 or 0.002, 0.256)
                elif (woken or soon) and not batch.published:
                    soon = soon * 2 or 0.002
                    soon = 0.0 if soon > 0.3 else soon
                else:
                    soon = 0.0
                await self._sleep(soon or self.settings.relay_idle_seconds)
            except (asyncio.CancelledError, LockLost):
                raise
            except Exception:
                log.exception("relay failed; retrying", extra={"relay": self.name})
                await asyncio.sleep(1.0)
                try:
                    await self._start_producer()
                except Exception as exc:  # the broker may still be down: try again
                    log.warning("producer restart failed: %s", exc, extra={"relay": self.name})

    async def _sleep(self, seconds: float) -> None:
        """Until this process appends events, or ``seconds`` passed."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._appended.event.wait()

    async def stop(self) -> None:
        if self.watch:
            self.watch.stop()
        if self.gate:
            await self.gate.close()
        if self.producer:
            await broker_epoch.stop_client(self.producer)
            self.producer = None
