"""The work of ``casebus rebuild reporting`` (imported only when it runs): check that reporting
is stopped, open reporting's own app without starting it, and re-apply the log."""

from __future__ import annotations

import asyncio
import time

import asyncpg
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError

from casebus.cli import reporting_rebuild as rebuild_log
from casebus.cli.common import FAILED, UNREACHABLE, err, fail
from casebus.cli.progress import Meter
from casebus.consumer import InboxConsumer
from casebus.settings import Settings


async def rebuild(url: str, bootstrap: str) -> rebuild_log.Outcome:
    try:
        check = await asyncpg.connect(url, timeout=10)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        fail(f"cannot reach reporting's database at {_safe(url)}: {exc}", UNREACHABLE)
    try:
        await rebuild_log.refuse_if_in_use(check)
    except rebuild_log.Refused as exc:
        fail(f"refused: {exc}", FAILED)
    finally:
        await check.close()
    # Reporting's own app, opened but not started: its schema, and its consumer's handlers.
    from services.reporting.bootstrap import build_app
    settings = Settings().model_copy(update={
        "service": "reporting", "database_url": url, "kafka_bootstrap": bootstrap,
        "profile": "embedded", "http_host": "127.0.0.1"})  # never served: no secret is used
    app = build_app(settings)
    runtime = app.state.runtime
    setattr(runtime, "start_background", lambda with_relay=True: None)  # noqa: B010
    async with app.router.lifespan_context(app):
        pool, _ = runtime.database
        return await _with_log(pool, runtime.consumers, bootstrap)


async def _with_log(pool: asyncpg.Pool, consumers: list[InboxConsumer],
                    bootstrap: str) -> rebuild_log.Outcome:
    kafka = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                             max_poll_records=500, request_timeout_ms=10_000)
    try:
        async with asyncio.timeout(15):
            await kafka.start()
            logs = [await rebuild_log.log_partitions(kafka, c.topics) for c in consumers]
    except (KafkaError, OSError, TimeoutError):
        await kafka.stop()
        fail(f"cannot reach the broker at {bootstrap}", UNREACHABLE)
    try:
        total = sum(end - first for offsets in logs for first, end in offsets.values())
        async with pool.acquire() as conn, conn.transaction():
            # Held to the end: a reporting started meanwhile waits in its schema migration.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('casebus-migrate'))")
            outcome = rebuild_log.Outcome(await rebuild_log.read_models(conn))
            err.print(f"emptying {', '.join(outcome.tables)}; re-applying the log "
                      f"(about {total} events)",
                      highlight=False)
            if outcome.tables:
                await conn.execute(f"TRUNCATE {', '.join(map(_quoted, outcome.tables))}")
            started = time.monotonic()
            with Meter(err, "rebuild reporting", total) as meter:
                for consumer, offsets in zip(consumers, logs, strict=True):
                    for table in rebuild_log.CONSUMER_TABLES:
                        await conn.execute(f"DELETE FROM {table} WHERE consumer = $1",
                                           consumer.name)
                    kafka.assign(list(offsets))
                    for tp, (first, _) in offsets.items():
                        kafka.seek(tp, first)
                    await rebuild_log.replay_log(conn, consumer, kafka,
                                                 {tp: end for tp, (_, end) in offsets.items()},
                                                 outcome, meter.advance)
            outcome.seconds = time.monotonic() - started
        return outcome
    finally:
        await kafka.stop()


def _quoted(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def _safe(url: str) -> str:
    """The URL without a password."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.split(':')[0]}@{tail}"
