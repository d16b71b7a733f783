"""``casebus tail``: follow the event topics, filtered; pretty lines, or one JSON a line.

Reads without a consumer group (nothing is committed, no service's position moves): from the
end by default, from offset 0 with ``--from-beginning`` (event topics keep everything).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from casebus.cli.common import UNREACHABLE, clean_errors, fail, out, run_async

if TYPE_CHECKING:  # imported where used: the CLI starts faster without the broker client
    from aiokafka import ConsumerRecord

    from casebus.envelope import CloudEvent


class Topic(StrEnum):
    INTAKE = "intake"
    ROUTING = "routing"
    ACCOUNTABILITY = "accountability"
    EARLY_WARNING = "early-warning"
    ALL = "all"


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()
    case_id: str | None = None
    unit_id: str | None = None
    district: str | None = None

    def admit(self, event: CloudEvent) -> bool:
        if self.types and not any(event.type == t or event.type.startswith(t.rstrip("*"))
                                  for t in self.types):
            return False
        if self.case_id and event.subject != self.case_id and \
                event.data.get("case_id") != self.case_id:
            return False
        if self.district and event.district != self.district:
            return False
        return not self.unit_id or self.unit_id in units_of(event.data)


def units_of(data: dict[str, Any]) -> set[str]:
    units = {data[k] for k in ("unit_id", "from_unit_id", "to_unit_id") if data.get(k)}
    return units | set(data.get("assisting_unit_ids") or ())


def topics_of(topic: Topic) -> list[str]:
    from casebus.topics import events_topic

    chosen = [t for t in Topic if t is not Topic.ALL] if topic is Topic.ALL else [topic]
    return [events_topic(t.value) for t in chosen]


def as_json(record: ConsumerRecord, event: CloudEvent) -> str:
    return json.dumps({"topic": record.topic, "partition": record.partition,
                       "offset": record.offset, **event.model_dump(mode="json")},
                      ensure_ascii=False)


def pretty(record: ConsumerRecord, event: CloudEvent) -> str:
    units = escape(",".join(sorted(units_of(event.data))))
    return (f"[dim]{event.time.isoformat(timespec='seconds')}[/] [cyan]{event.type}[/] "
            f"case=[bold]{escape(event.subject)}[/] district={escape(event.district)}"
            + (f" unit={units}" if units else "") + f" [dim]{record.topic}@{record.offset}[/]")


@clean_errors
def tail(topic: Annotated[Topic, typer.Option(help="which service's events")] = Topic.ALL,
         types: Annotated[list[str] | None, typer.Option(
             "--type", help="event type, or a prefix ending in * (repeat)")] = None,
         case: Annotated[str | None, typer.Option(help="only this case")] = None,
         unit: Annotated[str | None, typer.Option(help="only events naming this unit")] = None,
         district: Annotated[str | None, typer.Option(help="only this district")] = None,
         from_beginning: Annotated[bool, typer.Option(help="start at offset 0")] = False,
         json_lines: Annotated[bool, typer.Option("--json", help="one JSON a line")] = False,
         max_events: Annotated[int | None, typer.Option(
             "--max", min=1, help="stop after this many events")] = None,
         timeout: Annotated[float | None, typer.Option(
             min=0.1, help="stop after this many seconds")] = None,
         bootstrap: Annotated[str | None, typer.Option(
             help="Kafka bootstrap servers (CASEBUS_KAFKA_BOOTSTRAP)")] = None) -> None:
    """Follow the event topics (Ctrl-C to stop)."""
    from casebus.settings import Settings

    filters = Filters(tuple(types or ()), case, unit, district)
    run_async(_follow(bootstrap or Settings().kafka_bootstrap, topics_of(topic), filters,
                      from_beginning, json_lines, max_events, timeout))


async def _follow(bootstrap: str, topics: list[str], filters: Filters, from_beginning: bool,
                  json_lines: bool, max_events: int | None, seconds: float | None) -> None:
    from aiokafka import AIOKafkaConsumer, TopicPartition
    from aiokafka.errors import KafkaError

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                request_timeout_ms=10_000)
    try:
        async with asyncio.timeout(15):
            await consumer.start()
            known = await consumer.topics()
    except (KafkaError, OSError, TimeoutError):
        with contextlib.suppress(Exception):
            await consumer.stop()
        fail(f"cannot reach the broker at {bootstrap}", UNREACHABLE)
    try:
        partitions = [TopicPartition(t, p) for t in topics if t in known
                      for p in sorted(consumer.partitions_for_topic(t) or ())]
        if not partitions:
            fail(f"none of {', '.join(topics)} exists on {bootstrap} (casebus provision)")
        consumer.assign(partitions)
        await (consumer.seek_to_beginning if from_beginning else consumer.seek_to_end)()
        shown = 0
        async with asyncio.timeout(seconds):
            while max_events is None or shown < max_events:
                batches = await consumer.getmany(timeout_ms=500)
                for record in (r for records in batches.values() for r in records):
                    event = _event(record)
                    if event is None or not filters.admit(event):
                        continue
                    if json_lines:
                        print(as_json(record, event), flush=True)
                    else:
                        out.print(pretty(record, event), highlight=False, soft_wrap=True)
                    shown += 1
                    if max_events is not None and shown >= max_events:
                        break
    except TimeoutError:
        pass  # --timeout: stopping is the point
    finally:
        await consumer.stop()


def _event(record: ConsumerRecord) -> CloudEvent | None:
    from pydantic import ValidationError

    from casebus.envelope import CloudEvent

    try:
        return CloudEvent.from_bytes(record.value or b"")
    except (ValueError, ValidationError):
        return None  # not an event: the consumers dead-letter it; nothing to show
