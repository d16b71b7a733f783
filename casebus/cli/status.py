"""``casebus status``: each service's readiness, outbox backlog, consumer lag and dead letters,
from its /ready and /metrics (no token needed). Exit 1 if any service is not ready."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Annotated

import typer
from rich.table import Table

from casebus.cli.common import FAILED, SERVICES, clean_errors, out, service_url


@dataclass(frozen=True)
class ServiceStatus:
    service: str
    url: str
    ready: bool
    problem: str  # "" when ready: the failed checks, or why it could not be asked
    outbox_backlog: int | None = None
    consumer_lag: int | None = None
    dead_letters: int | None = None


def metric_sums(text: str) -> dict[str, int]:
    """Outbox backlog, consumer lag (every partition) and dead letters (every consumer) of one
    process's Prometheus text."""
    from prometheus_client.parser import text_string_to_metric_families

    sums = {"casebus_outbox_backlog": 0.0, "casebus_consumer_lag": 0.0,
            "casebus_deadletter_size": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name in sums:
                sums[sample.name] += sample.value
    return {"outbox_backlog": int(sums["casebus_outbox_backlog"]),
            "consumer_lag": int(sums["casebus_consumer_lag"]),
            "dead_letters": int(sums["casebus_deadletter_size"])}


def probe(service: str, url: str, timeout: float) -> ServiceStatus:
    import httpx  # here, as every import a command does not need: the CLI starts faster

    try:
        ready = httpx.get(f"{url}/ready", timeout=timeout)
        metrics = httpx.get(f"{url}/metrics", timeout=timeout)
    except httpx.ConnectError:
        return ServiceStatus(service, url, False, f"cannot reach {url}: connection refused")
    except httpx.HTTPError as exc:
        return ServiceStatus(service, url, False, f"cannot reach {url}: {type(exc).__name__}")
    try:
        checks = ready.json().get("checks", {})
    except ValueError:
        checks = {}
    failing = sorted(name for name, ok in checks.items() if not ok)
    problem = "" if ready.status_code == 200 else \
        "not ready: " + (", ".join(failing) or f"HTTP {ready.status_code}")
    sums = metric_sums(metrics.text) if metrics.status_code == 200 else {}
    return ServiceStatus(service, url, ready.status_code == 200, problem, **sums)


@clean_errors
def status(
        services: Annotated[list[str] | None, typer.Option(
            "--service", help="only these (repeat); URLs from CASEBUS_<SERVICE>_URL")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="one JSON object a line")] = False,
        timeout: Annotated[float, typer.Option(min=0.1, help="seconds per request")] = 5.0,
) -> None:
    """Is every service ready, and how far behind is it?"""
    chosen = services or list(SERVICES)
    unknown = [s for s in chosen if s not in SERVICES]
    if unknown:
        raise typer.BadParameter(f"unknown service(s) {', '.join(unknown)}; one of "
                                 f"{', '.join(SERVICES)}", param_hint="--service")
    rows = [probe(s, service_url(s), timeout) for s in chosen]
    if as_json:
        for row in rows:
            print(json.dumps(asdict(row)))
    else:
        table = Table("service", "ready", "outbox", "lag", "dead letters", "problem")
        for row in rows:
            table.add_row(row.service, "[green]yes[/]" if row.ready else "[red]no[/]",
                          _n(row.outbox_backlog), _n(row.consumer_lag), _n(row.dead_letters),
                          row.problem)
        out.print(table)
    if not all(row.ready for row in rows):
        raise typer.Exit(FAILED)


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)
