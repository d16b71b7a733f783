"""The broker-epoch marker: the first marker is the epoch, whatever is written after it."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from casebus.broker_epoch import epoch_changed, establish_epoch, read_epoch
from casebus.embedded.broker import EmbeddedBroker
from casebus.topics import BROKER_EPOCH, TOPICS


def test_the_marker_topic_is_never_compacted() -> None:
    (marker,) = [t for t in TOPICS if t.name == BROKER_EPOCH]
    assert marker.configs["cleanup.policy"] == "delete"
    assert marker.configs["retention.ms"] == "-1"
    assert all(t.configs.get("cleanup.policy") != "compact" for t in TOPICS)


async def test_a_second_marker_does_not_fake_a_broker_restart(own_broker: EmbeddedBroker) -> None:
    first = await establish_epoch(own_broker.bootstrap, partitions=1, replication=1)
    # Two services racing at start may both write a marker (the same key under compaction
    # would let the second replace the first).
    producer = AIOKafkaProducer(bootstrap_servers=own_broker.bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(BROKER_EPOCH, b"second-marker", key=b"second-marker",
                                     partition=0)
    finally:
        await producer.stop()
    assert await read_epoch(own_broker.bootstrap) == first
    assert not await epoch_changed(own_broker.bootstrap, first)
    assert await establish_epoch(own_broker.bootstrap, partitions=1, replication=1) == first
    own_broker.restart()  # comes back empty: now the epoch really changes
    assert await epoch_changed(own_broker.bootstrap, first)
