"""Every Kafka topic the system uses, declared once, and their provisioning.

Each service publishes its events on its own topic, keyed by case id so that one case's events
stay in order. Event topics keep history forever (a downstream archive may start from zero);
compaction would delete history, so no topic is compacted: not even the broker-epoch marker,
whose first record must stay the first (compaction could remove it and make the second one
look like a broker that lost its log).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

SERVICES = ("intake", "routing", "accountability", "reporting")
DEADLETTER = "petitions.deadletter"
BROKER_EPOCH = "petitions.broker-epoch"
THIRTY_DAYS_MS = str(30 * 24 * 3600 * 1000)


def events_topic(service: str) -> str:
    return f"petitions.{service}.events"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int | None = None  # None: the configured default
    configs: dict[str, str] = field(default_factory=dict)


TOPICS: tuple[TopicSpec, ...] = (
    *(TopicSpec(events_topic(s), configs={"retention.ms": "-1", "cleanup.policy": "delete"})
      for s in ("intake", "routing", "accountability", "early-warning")),
    TopicSpec(DEADLETTER, configs={"retention.ms": THIRTY_DAYS_MS}),
    TopicSpec(BROKER_EPOCH, partitions=1,
              configs={"cleanup.policy": "delete", "retention.ms": "-1"}),
)


async def provision(bootstrap: str, *, partitions: int, replication: int) -> list[str]:
    """Create the declared topics that do not exist yet. Returns the names it created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in TOPICS if t.name not in existing]
        created = []
        for spec in missing:
            topic = NewTopic(spec.name, spec.partitions or partitions, replication,
                             topic_configs=spec.configs)
            response = await admin.create_topics([topic])
            # aiokafka returns per-topic errors in the response instead of raising them.
            for name, code, *message in response.topic_errors:
                if code == TopicAlreadyExistsError.errno:
                    continue  # another service provisioned it a moment ago
                if code != 0:
                    raise RuntimeError(f"broker refused to create topic {name}: error {code} "
                                       f"{message[0] if message else ''}".strip())
                created.append(name)
        return created
    finally:
        await admin.close()
