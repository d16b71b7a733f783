"""Noticing that the broker restarted empty.

The embedded broker keeps its log in memory: after a restart, topics, records and committed
offsets are gone, and a producer that stayed connected may even get acknowledgements for
records nobody can read. Every broker lifetime gets an epoch: a random id written as the first
record of a one-partition marker topic. Relays and consumers remember the epoch they started in
and check it now and then; a different or missing epoch means the broker lost its log, so
relays republish their outbox from the start and consumers re-read from offset 0 (the inbox
drops what was already applied). Apache Kafka never loses its log, so there this never fires.
"""

from __future__ import annotations

import asyncio
import logging
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from casebus.topics import BROKER_EPOCH, provision

log = logging.getLogger(__name__)
_PARTITION = TopicPartition(BROKER_EPOCH, 0)

# No Kafka client call on a recovery path may wait forever: against a broker that was just
# replaced, aiokafka can wait indefinitely for a coordinator or to leave a group.
CLIENT_CALL_SECONDS = 10.0


async def stop_client(client: AIOKafkaConsumer | AIOKafkaProducer) -> None:
    """Stop a client, giving up (and abandoning it) if the broker does not answer."""
    try:
        async with asyncio.timeout(CLIENT_CALL_SECONDS):
            await client.stop()
    except Exception as exc:  # TimeoutError included: a client of a dead broker
        log.info("abandoned a kafka client that did not stop cleanly: %r", exc)


async def read_epoch(bootstrap: str, wait_seconds: float = 5.0) -> str | None:
    """The current epoch, or None if the marker topic is empty (a broker that just started)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        async with asyncio.timeout(wait_seconds + CLIENT_CALL_SECONDS):
            await consumer.start()
            consumer.assign([_PARTITION])
            # End offsets are unreliable on the embedded broker, except for empty or not.
            end = (await consumer.end_offsets([_PARTITION]))[_PARTITION]
            if end == 0:
                return None
            # The log's first record, wherever it starts: the first marker written wins.
            await consumer.seek_to_beginning(_PARTITION)
            batch = await consumer.getone(_PARTITION)
            return batch.value.decode() if batch.value else None
    finally:
        await stop_client(consumer)


async def establish_epoch(bootstrap: str, *, partitions: int, replication: int) -> str:
    """Provision the topics and return the broker's epoch, writing one if there is none yet.
    Several services may race here; whichever record lands first at offset 0 is the epoch."""
    await provision(bootstrap, partitions=partitions, replication=replication)
    epoch = await read_epoch(bootstrap)
    if epoch is None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
        try:
            async with asyncio.timeout(CLIENT_CALL_SECONDS * 2):
                await producer.start()
                # Each marker under a key of its own: even a compacted topic (a deployment
                # provisioned before this was fixed) keeps every marker, the first included.
                marker = str(uuid4())
                await producer.send_and_wait(BROKER_EPOCH, marker.encode(),
                                             key=marker.encode(), partition=0)
        finally:
            await stop_client(producer)
        epoch = await read_epoch(bootstrap)
    if epoch is None:
        raise RuntimeError("broker accepted the epoch marker but does not return it")
    return epoch


async def epoch_changed(bootstrap: str, known: str) -> bool:
    """True if the broker's epoch is no longer ``known``. Errors count as "not known to have
    changed": a broker that is down cannot be told from one that is slow."""
    try:
        current = await read_epoch(bootstrap)
    except Exception as exc:
        log.warning("broker epoch check failed: %s", exc)
        return False
    return current != known


class EpochGate:
    """A relay's check before each batch, on one consumer kept open: is the broker still in
    the lifetime the relay publishes into? The background watch alone notices a restart only
    seconds later, and a relay that published a new event meanwhile would put it ahead of the
    older events of its case that the refill republishes (a lagging consumer would then apply
    them out of order). Errors raise: a relay that cannot confirm does not publish."""

    def __init__(self, bootstrap: str, epoch: str) -> None:
        self.bootstrap, self.epoch = bootstrap, epoch
        self._consumer: AIOKafkaConsumer | None = None
        self._confirmed_over: tuple[object, ...] = ()  # the publisher's connections then

    async def still_open(self, publisher: AIOKafkaProducer | None = None) -> bool:
        """Whether the broker is in the lifetime ``epoch``. Asking takes three requests; with
        a ``publisher``, they are spared while the publisher's broker connections are the very
        ones that were open before the last confirmation: a TCP connection does not outlive
        the broker process at its other end, so the broker is still that one. A restart
        closes them, and the next batch asks again."""
        before = _open_connections(publisher)
        if before and len(before) == len(self._confirmed_over) and all(
                a is b for a, b in zip(before, self._confirmed_over, strict=True)):
            return True
        try:
            async with asyncio.timeout(CLIENT_CALL_SECONDS):
                same = await self._read() == self.epoch
        except BaseException:
            await self.close()  # a fresh consumer next time: this one may be wedged
            raise
        self._confirmed_over = before if same else ()
        return same

    async def _read(self) -> str | None:
        if self._consumer is None:
            consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap,
                                        enable_auto_commit=False)
            await consumer.start()
            consumer.assign([_PARTITION])
            self._consumer = consumer
        if (await self._consumer.end_offsets([_PARTITION]))[_PARTITION] == 0:
            return None  # empty: a broker that came back without its log
        await self._consumer.seek_to_beginning(_PARTITION)
        record = await self._consumer.getone(_PARTITION)
        return record.value.decode() if record.value else None

    async def close(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            await stop_client(consumer)


def _open_connections(client: AIOKafkaProducer | None) -> tuple[object, ...]:
    """The client's open broker connections (aiokafka keeps them in ``client._conns``)."""
    if client is None:
        return ()
    conns = getattr(client.client, "_conns", {})
    return tuple(conn for _, conn in sorted(conns.items(), key=lambda kv: str(kv[0]))
                 if conn.connected())


class EpochWatch:
    """Checks the epoch in the background every ``interval`` seconds, so that publishing and
    consuming never wait for a check; ``changed`` is set once the broker lost its log."""

    def __init__(self, bootstrap: str, epoch: str, interval: float) -> None:
        self.bootstrap, self.epoch, self.interval = bootstrap, epoch, interval
        self.changed = asyncio.Event()
        self._task = asyncio.create_task(self._watch(), name="broker-epoch-watch")

    async def _watch(self) -> None:
        while not self.changed.is_set():
            await asyncio.sleep(self.interval)
            if await epoch_changed(self.bootstrap, self.epoch):
                self.changed.set()

    def stop(self) -> None:
        self._task.cancel()
