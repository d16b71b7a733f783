"""``casebus provision``: create the declared topics and the broker epoch marker
(infra/provision.py does the work: topic definitions live only in casebus/topics.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from casebus.cli.common import UNREACHABLE, clean_errors, err, fail, out, run_async


@clean_errors
def provision(
        bootstrap: Annotated[str | None, typer.Option(
            help="Kafka bootstrap servers (default CASEBUS_KAFKA_BOOTSTRAP)")] = None,
        partitions: Annotated[int | None, typer.Option(
            min=1, help="partitions of event topics (default CASEBUS_TOPIC_PARTITIONS)")] = None,
        replication: Annotated[int | None, typer.Option(
            min=1, help="replication factor (default CASEBUS_TOPIC_REPLICATION)")] = None,
        timeout: Annotated[float, typer.Option(min=0.1, help="give up after seconds")] = 60.0,
) -> None:
    """Create the topics that do not exist yet (idempotent) and the broker epoch marker."""
    from casebus import topics
    from casebus.settings import Settings
    from infra.provision import provision_with_retry

    settings = Settings()
    bootstrap = bootstrap or settings.kafka_bootstrap
    partitions = partitions or settings.topic_partitions
    replication = replication or settings.topic_replication
    err.print(f"provisioning {len(topics.TOPICS)} topics on {bootstrap}", highlight=False)
    try:
        outcome = run_async(provision_with_retry(bootstrap, partitions=partitions,
                                                 replication=replication, patience=timeout))
    except TimeoutError as exc:
        fail(str(exc), UNREACHABLE)
    table = Table("topic", "state", "partitions", title=f"broker epoch {outcome.epoch}")
    for spec in topics.TOPICS:
        state = "created" if spec.name in outcome.created else "exists"
        table.add_row(spec.name, state, str(spec.partitions or partitions))
    out.print(table)
    out.print(f"created {len(outcome.created)} topic(s)", highlight=False)
