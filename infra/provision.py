"""Provision a real Kafka cluster: the declared topics and the broker epoch marker.

    python -m infra.provision --bootstrap kafka-1:9092,kafka-2:9092 --partitions 12 --replication 3

Runs once per deployment (the one-shot ``provision`` service in docker-compose.yml) before the
services start. It reuses casebus.topics.provision, so topic definitions live only in
casebus/topics.py, and casebus.broker_epoch.establish_epoch, so the marker is written exactly as
the services expect. Containers start in any order: the broker is retried with backoff until
``--timeout`` seconds have passed, then the command exits 1 with the last error.

Two checks the library call does not make: the cluster must have at least ``--replication``
brokers registered before topics are created, and every declared topic must exist afterwards.
aiokafka's ``create_topics`` returns per-topic errors in the response instead of raising them, so
without these a broker that was only half up would be reported as provisioned.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from casebus import topics
from casebus.broker_epoch import establish_epoch
from casebus.settings import Settings

DEFAULT_TIMEOUT = 60.0
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 5.0
# One attempt may not hang longer than this (aiokafka's own request timeout is 40 s).
ATTEMPT_TIMEOUT = 20.0


class NotProvisioned(Exception):
    """The cluster answered but is not (yet) in the state we need; worth retrying."""


RETRYABLE: tuple[type[BaseException], ...] = (
    KafkaError, OSError, TimeoutError, NotProvisioned,
    RuntimeError,  # establish_epoch: "broker accepted the epoch marker but does not return it"
)


@dataclass(frozen=True)
class Outcome:
    created: list[str]
    epoch: str
    attempts: int


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    s = settings or Settings()
    parser = argparse.ArgumentParser(
        prog="python -m infra.provision",
        description="Create the declared Kafka topics and the broker epoch marker.")
    parser.add_argument("--bootstrap", default=s.kafka_bootstrap, metavar="HOST:PORT[,HOST:PORT]",
                        help=f"Kafka bootstrap servers (default {s.kafka_bootstrap}, "
                             "from CASEBUS_KAFKA_BOOTSTRAP)")
    parser.add_argument("--partitions", type=_positive_int, default=s.topic_partitions,
                        help=f"partitions of topics without a declared count "
                             f"(default {s.topic_partitions}, from CASEBUS_TOPIC_PARTITIONS)")
    parser.add_argument("--replication", type=_positive_int, default=s.topic_replication,
                        help=f"replication factor (default {s.topic_replication}, "
                             "from CASEBUS_TOPIC_REPLICATION)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"give up after this many seconds (default {DEFAULT_TIMEOUT:g})")
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


async def _cluster_brokers(bootstrap: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        cluster: dict[str, Any] = await admin.describe_cluster()
        return len(cluster.get("brokers") or [])
    finally:
        await admin.close()


async def _missing_topics(bootstrap: str) -> list[str]:
    """Declared topics the cluster does not report, or reports with an error or no partitions."""
    names = [t.name for t in topics.TOPICS]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described: list[dict[str, Any]] = await admin.describe_topics(names)
    finally:
        await admin.close()
    healthy = {t["topic"] for t in described if t.get("error_code", 0) == 0 and t.get("partitions")}
    return [n for n in names if n not in healthy]


async def provision_once(bootstrap: str, *, partitions: int, replication: int) -> tuple[list[str],
                                                                                           str]:
    """One attempt: returns (topics created now, broker epoch). Raises a RETRYABLE error if the
    cluster is not reachable or not ready."""
    brokers = await _cluster_brokers(bootstrap)
    if brokers < replication:
        raise NotProvisioned(f"{brokers} broker(s) registered, replication {replication} "
                             "needs at least as many")
    created = await topics.provision(bootstrap, partitions=partitions, replication=replication)
    missing = await _missing_topics(bootstrap)
    if missing:
        raise NotProvisioned(f"topics not created by the cluster: {', '.join(missing)}")
    epoch = await establish_epoch(bootstrap, partitions=partitions, replication=replication)
    return created, epoch


async def provision_with_retry(bootstrap: str, *, partitions: int, replication: int,
                               patience: float = DEFAULT_TIMEOUT) -> Outcome:
    """Retry ``provision_once`` with exponential backoff until it succeeds or ``patience``
    seconds pass (then TimeoutError, chained to the last error)."""
    deadline = time.monotonic() + patience
    delay = INITIAL_BACKOFF
    attempt = 0
    while True:
        attempt += 1
        remaining = deadline - time.monotonic()
        try:
            created, epoch = await asyncio.wait_for(
                provision_once(bootstrap, partitions=partitions, replication=replication),
                max(0.1, min(ATTEMPT_TIMEOUT, remaining)))
            return Outcome(created, epoch, attempt)
        except RETRYABLE as exc:
            reason = _describe(exc)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"Kafka at {bootstrap} not ready after {patience:g} s "
                                   f"({attempt} attempts); last error: {reason}") from exc
            wait = min(delay, remaining)
            print(f"attempt {attempt}: {reason}; retrying in {wait:.1f} s", file=sys.stderr,
                  flush=True)
            await asyncio.sleep(wait)
            delay = min(delay * 2, MAX_BACKOFF)


def _describe(exc: BaseException) -> str:
    name, text = type(exc).__name__, str(exc)
    if not text:
        return name
    return text if text.startswith(name) else f"{name}: {text}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    print(f"provisioning {len(topics.TOPICS)} topics on {args.bootstrap} "
          f"(partitions {args.partitions}, replication {args.replication})", flush=True)
    try:
        outcome = asyncio.run(provision_with_retry(
            args.bootstrap, partitions=args.partitions, replication=args.replication,
            patience=args.timeout))
    except TimeoutError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    for spec in topics.TOPICS:
        if spec.name in outcome.created:
            print(f"  created {spec.name} (partitions {spec.partitions or args.partitions}, "
                  f"replication {args.replication})", flush=True)
        else:
            print(f"  exists  {spec.name}", flush=True)
    print(f"created {len(outcome.created)} topic(s); broker epoch {outcome.epoch}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
