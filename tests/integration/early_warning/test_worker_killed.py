"""The early-warning worker SIGKILLed in the middle of a window and restarted: its table comes
back, and each warning is raised exactly once (one event id per window), with the right cases,
count and window."""

from __future__ import annotations

import json
import signal
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from casebus.domain.deadlines import CHINA_TZ
from casebus.embedded.broker import EmbeddedBroker, free_port
from casebus.topics import events_topic, provision
from tests.conftest import eventually
from tests.integration.early_warning.worker_process import WorkerProcess, assigned, registered
from tests.integration.platform.kafka_tools import produce

DAY1 = datetime(2026, 3, 2, tzinfo=CHINA_TZ)
INTAKE = events_topic("intake")
WARNINGS = events_topic("early-warning")
CHANGELOG = "early-warning-watches-changelog"
SIGHTINGS = "early-warning-sightings"


def day(n: int, hour: int = 10) -> datetime:
    return DAY1 + timedelta(days=n - 1, hours=hour)


async def publish(bootstrap: str, *events: Any) -> None:
    await produce(bootstrap, INTAKE, [(e.subject, e.to_bytes()) for e in events])


async def read_all(bootstrap: str, topic: str, quiet_ms: int = 1500) -> list[Any]:
    """Every record of a topic so far (until the topic stays quiet for ``quiet_ms``)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    records: list[Any] = []
    try:
        while batch := await consumer.getmany(timeout_ms=quiet_ms):
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records


async def warnings(bootstrap: str) -> dict[str, dict[str, Any]]:
    """Warnings by event id (a repeat of the same id is one warning downstream)."""
    return {json.loads(r.value)["id"]: json.loads(r.value)
            for r in await read_all(bootstrap, WARNINGS)}


async def remembered(bootstrap: str, key: str) -> int:
    """How many sightings the table's changelog last recorded for ``key``."""
    last = None
    for record in await read_all(bootstrap, CHANGELOG, quiet_ms=500):
        if record.key and record.key.decode().strip('"') == key and record.value:
            last = json.loads(record.value)
    return len(last["sightings"]) if last else 0


async def test_killed_mid_window_raises_each_warning_once(own_broker: EmbeddedBroker,
                                                          tmp_path: Path) -> None:
    bootstrap = own_broker.bootstrap
    await provision(bootstrap, partitions=4, replication=1)
    worker = WorkerProcess(bootstrap, free_port(18650), tmp_path / "worker.log",
                           early_warning_collective_threshold="3",
                           early_warning_unit_surge_threshold="3")
    try:
        worker.start()
        worker.wait_ready()
        assert worker.get("/health").status_code == 200
        assert worker.get("/table/watches/").status_code == 404  # the table is not shown
        # Before the kill: Zhilizhuang's neighbours cross at once; in Dingjia two petitioners
        # (one of them twice) on gas: below the threshold of 3 distinct petitioners.
        await publish(bootstrap,
                      *(registered(f"z{n}", day(n), [f"pz{n}"], community="Zhilizhuang",
                                   category="neighbourhood") for n in (1, 2, 3)),
                      registered("c1", day(1), ["p1"]), registered("c2", day(2), ["p2"]),
                      registered("c3", day(3), ["p2"]))
        # Routing hands three cases to the gas company within the week: a surge at the unit.
        await produce(bootstrap, events_topic("routing"),
                      [(f"c{n}", assigned(f"c{n}", day(n, 11), "gas-company").to_bytes())
                       for n in (1, 2, 3)])
        await eventually(lambda: _remembered_three(bootstrap), timeout=60, interval=0.5)
        # Wait until the worker has committed its positions past all nine events and sightings:
        # after the restart nothing is read again, so Dingjia's first three sightings can only
        # come back through the table's changelog recovery.
        await eventually(lambda: _committed_past(bootstrap, 6, 9), timeout=60, interval=0.5)
        worker.stop(signal.SIGKILL)

        worker.start()
        worker.wait_ready()
        # After the restart: the third petitioner makes the window of day 1 cross; a fourth
        # inside it adds nothing; three more from day 9 on make a fresh window.
        # (Cases are keys of their own, on any partition: one at a time keeps their order.)
        await publish(bootstrap, registered("c4", day(4), ["p3"]))
        await eventually(lambda: _at_least(bootstrap, 3), timeout=60, interval=0.1)
        # Killed again at once, most likely before it committed c4: c4 comes again and must not
        # raise a second warning for Dingjia's window (nor one under another id).
        worker.stop(signal.SIGKILL)
        worker.start()
        worker.wait_ready()
        await publish(bootstrap, registered("c5", day(5), ["p4"]))
        await publish(bootstrap, *(registered(f"c{n}", day(n), [f"p{n}"]) for n in (9, 10, 11)))
        found = await eventually(lambda: _at_least(bootstrap, 4), timeout=60, interval=0.5)
    finally:
        log = worker.log_tail()
        worker.stop()
    found = await warnings(bootstrap)  # anything raised late would be here too
    assert len(found) == 4, (found, log)
    windows = [(w["subject"], w["data"]["window_start"]) for w in found.values()]
    assert len(set(windows)) == 4, "no window raised twice under different ids"
    by_window = {(w["data"]["key"], w["data"]["first_day"]): w for w in found.values()}
    first = by_window[("Dingjia/gas", "2026-03-02")]
    assert first["type"] == "petition.early-warning.raised.v1"
    assert first["data"]["case_ids"] == ["c1", "c2", "c3", "c4"]
    assert (first["data"]["count"], first["data"]["threshold"]) == (3, 3)
    assert first["data"]["window_start"] == "2026-03-02T00:00:00+08:00"
    assert first["data"]["window_end"] == "2026-03-09T00:00:00+08:00"
    assert first["data"]["last_day"] == "2026-03-08"
    assert first["time"] == "2026-03-05T10:00:00+08:00"  # the latest sighting counted: c4
    fresh = by_window[("Dingjia/gas", "2026-03-10")]
    assert fresh["data"]["case_ids"] == ["c10", "c11", "c9"]
    assert by_window[("Zhilizhuang/neighbourhood", "2026-03-02")]["data"]["case_ids"] == [
        "z1", "z2", "z3"]
    surge = by_window[("gas-company", "2026-03-02")]["data"]
    assert (surge["kind"], surge["unit_id"], surge["count"]) == ("unit-surge", "gas-company", 3)
    assert surge["case_ids"] == ["c1", "c2", "c3"]
    for warning in found.values():
        assert not any(p in json.dumps(warning) for p in ('"p1"', '"p2"', "pz1"))


async def _remembered_three(bootstrap: str) -> bool:
    return await remembered(bootstrap, "chaoyang|collective|Dingjia/gas") >= 3


async def _committed_past(bootstrap: str, events: int, sightings: int) -> bool:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id="early-warning",
                                enable_auto_commit=False)
    await consumer.start()
    try:
        for topic, records in ((INTAKE, events), (events_topic("routing"), 3),
                               (SIGHTINGS, sightings)):
            positions = [await consumer.committed(TopicPartition(topic, p)) for p in range(4)]
            if sum(p or 0 for p in positions) < records:
                return False
        return True
    finally:
        await consumer.stop()


async def _at_least(bootstrap: str, count: int) -> dict[str, Any] | None:
    found = await warnings(bootstrap)
    return found if len(found) >= count else None
