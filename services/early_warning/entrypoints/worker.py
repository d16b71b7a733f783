"""The faust app: two agents, one table, and the readiness and health pages.

- ``sightings`` reads intake's and routing's public events (keyed by case id) and forwards
  each sighting to an internal topic keyed by what it is a sighting of (district, kind, key),
  so that one key's sightings meet in one partition and one table row.
- ``watch`` keeps each key's recent sightings in a table and publishes a warning when a window
  crosses its threshold. It publishes (and waits for the acknowledgement) BEFORE it writes the
  table: a crash in between repeats the same warning with the same id, never loses it.

Faust hazards (docs/architecture.md §3): at-least-once only (exactly-once fails on the embedded
broker); concurrency 1 (#606); nothing raises out of an agent (#315): a message that cannot
be used is logged and skipped, a failed publish is retried. The table may recover short after
a restart on the embedded broker (its end offsets are wrong; ``producer_max_batch_size=1``
works around it): a warning's id depends only on its window, so a repeat changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path
from typing import Any, cast

import faust
from faust.tables.manager import TableManager
from faust.web import Request, Response, View

from casebus.settings import Settings
from casebus.topics import events_topic
from services.early_warning.domain.rules import WarningRules
from services.early_warning.service_layer.watching import advance, sighting_from

log = logging.getLogger(__name__)
APP_ID = "early-warning"
OUTPUT_TOPIC = events_topic("early-warning")
SIGHTINGS_TOPIC = "early-warning-sightings"
PUBLISH_RETRY_SECONDS = 1.0


def build_worker(settings: Settings, rules: WarningRules) -> faust.App:
    app = faust.App(
        APP_ID,
        broker=[f"kafka://{host}" for host in settings.kafka_bootstrap.split(",")],
        store="memory://",
        processing_guarantee="at_least_once",
        # The embedded broker's end offsets are wrong: one record a batch keeps recovery whole.
        producer_max_batch_size=1,
        producer_acks=-1,
        broker_session_timeout=settings.session_timeout_ms / 1000,
        broker_heartbeat_interval=settings.heartbeat_interval_ms / 1000,
        broker_rebalance_timeout=settings.session_timeout_ms / 1000,
        consumer_auto_offset_reset="earliest",
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        web_port=settings.http_port, web_bind=settings.http_host, web_host=settings.http_host,
        # Only /ready and /health: faust's table pages would show pseudonyms and case ids.
        web_tables_enabled=False, web_router_enabled=False, web_stats_enabled=False,
        web_graph_enabled=False,
        datadir=Path(tempfile.gettempdir()) / f"casebus-early-warning-{settings.http_port}",
        # The worker clears the root logger's handlers and installs these: ours (JSON lines).
        loghandlers=list(logging.getLogger().handlers),
    )
    public = app.topic(events_topic("intake"), events_topic("routing"),
                       key_serializer="raw", value_serializer="raw")
    sightings = app.topic(SIGHTINGS_TOPIC, internal=True, partitions=settings.topic_partitions,
                          key_serializer="raw", value_serializer="json")
    output = app.topic(OUTPUT_TOPIC, key_serializer="raw", value_serializer="raw")
    watches = app.Table("watches", default=None, partitions=settings.topic_partitions,
                        key_type=str)
    running: set[str] = set()

    @app.agent(public, concurrency=1)
    async def forward_sightings(stream: faust.StreamT[bytes]) -> None:
        running.add("sightings")
        async for raw in stream:
            found = sighting_from(raw)
            if found is not None:
                key, sighting = found
                await _until_sent(sightings, key.encode(), sighting)

    @app.agent(sightings, concurrency=1)
    async def watch(stream: faust.StreamT[dict[str, Any]]) -> None:
        running.add("watch")
        async for key, sighting in stream.items():
            key_text = key.decode() if isinstance(key, bytes) else str(key)
            try:
                stored, warnings = advance(rules, key_text, watches.get(key_text), sighting)
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("skipped a sighting of %s: %s", key_text, exc)
                continue
            for warning in warnings:
                await _until_sent(output, key_text.encode(), warning.to_bytes())
            watches[key_text] = stored

    @app.page("/ready")
    class Ready(View):
        async def get(self, request: Request) -> Response:
            ready = running == {"sightings", "watch"} and not app.rebalancing \
                and cast(TableManager, app.tables).recovery.completed.is_set()
            return self.json({"ready": ready}, status=200 if ready else 503)

    @app.page("/health")
    class Health(View):
        async def get(self, request: Request) -> Response:
            crashed = [agent.name for agent in app.agents.values()
                       if any(actor.crashed for actor in agent._actors)]
            return self.json({"crashed": crashed}, status=503 if crashed else 200)

    return app


async def _until_sent(topic: faust.TopicT, key: bytes, value: Any) -> None:
    """Publish and wait for the broker's acknowledgement; retry a failure (never skip)."""
    while True:
        try:
            pending = await topic.send(key=key, value=value)
            await pending
            return
        except Exception:
            log.exception("publishing to %s failed; retrying", topic.get_topic_name())
            await asyncio.sleep(PUBLISH_RETRY_SECONDS)
