"""The operator CLI's pure parts: tail's filters, status's metric sums, progress on a log,
the exit codes of refusals (run in-process)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console
from typer.testing import CliRunner

from casebus import topics
from casebus.cli import app
from casebus.cli.common import SERVICES, service_url
from casebus.cli.progress import Meter
from casebus.cli.rebuild_run import _safe
from casebus.cli.status import metric_sums
from casebus.cli.tail import Filters, Topic, topics_of
from casebus.envelope import make_cloud_event

runner = CliRunner()


def event(wire_type: str, case_id: str = "c-1", district: str = "chaoyang", **data: object):
    return make_cloud_event(event_id="e", source="s", wire_type=wire_type, subject=case_id,
                            time=datetime(2026, 3, 2, tzinfo=UTC), district=district,
                            correlation_id="c", causation_id="c", actor="a", data=dict(data))


def test_tail_filters_by_type_prefix_case_unit_and_district() -> None:
    handed = event("petition.case.assigned.v1", unit_id="gas-company",
                   assisting_unit_ids=["street-office"])
    assert Filters(types=("petition.case.*",)).admit(handed)
    assert not Filters(types=("petition.clock.*", "petition.case.accepted.v1")).admit(handed)
    assert Filters(unit_id="street-office").admit(handed)
    assert not Filters(unit_id="water-company").admit(handed)
    assert not Filters(case_id="c-2").admit(handed) and Filters(case_id="c-1").admit(handed)
    assert not Filters(district="haidian").admit(handed)
    assert topics_of(Topic.ROUTING) == ["petitions.routing.events"]
    every = topics_of(Topic.ALL)
    assert "petitions.early-warning.events" in every and len(every) == 4


def test_metric_sums_add_every_partition_and_consumer() -> None:
    text = """# TYPE casebus_consumer_lag gauge
casebus_consumer_lag{consumer="reporting",partition="0",topic="a"} 3.0
casebus_consumer_lag{consumer="reporting",partition="1",topic="a"} 4.0
# TYPE casebus_outbox_backlog gauge
casebus_outbox_backlog{service="intake"} 12.0
# TYPE casebus_deadletter_size gauge
casebus_deadletter_size{consumer="reporting"} 2.0
casebus_deadletter_size{consumer="calendar"} 1.0
"""
    assert metric_sums(text) == {"outbox_backlog": 12, "consumer_lag": 7, "dead_letters": 3}
    assert metric_sums("") == {"outbox_backlog": 0, "consumer_lag": 0, "dead_letters": 0}


def test_progress_on_a_log_is_one_line_per_step_not_a_bar() -> None:
    log = io.StringIO()
    with Meter(Console(file=log, force_terminal=False), "rebuild", 200, step_percent=25) as m:
        for _ in range(20):
            m.advance(10)
    lines = log.getvalue().splitlines()
    assert [line.split(":")[1].split("(")[0].strip() for line in lines] == \
        ["25%", "50%", "75%", "100%"]
    assert all("events/s" in line for line in lines) and "\r" not in log.getvalue()


def test_urls_come_from_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEBUS_ROUTING_URL", raising=False)
    assert service_url("routing") == "http://127.0.0.1:8002"
    monkeypatch.setenv("CASEBUS_ROUTING_URL", "http://routing:9000/")
    assert service_url("routing") == "http://routing:9000"
    assert service_url("routing", "http://x:1") == "http://x:1"
    assert _safe("postgresql://app:s3cret@db:5432/reporting") == \
        "postgresql://app@db:5432/reporting"


def test_refusals_are_one_line_with_their_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEBUS_TOKEN", raising=False)
    no_token = runner.invoke(app, ["dead-letters", "list"])
    assert no_token.exit_code == 2 and "no token" in no_token.output
    both = runner.invoke(app, ["dead-letters", "replay", "3", "--all", "--token", "t"])
    assert both.exit_code == 2 and "one dead letter ID or --all" in both.output
    refused = runner.invoke(app, ["dead-letters", "list", "--token", "t", "--service",
                                  "reporting", "--url", "http://127.0.0.1:1"])
    assert refused.exit_code == 3 and "http://127.0.0.1:1" in refused.output
    assert "Traceback" not in refused.output
    day = runner.invoke(app, ["calendar", "correct", "2026-13-01", "--holiday", "--reason", "r",
                              "--token", "t"])
    assert day.exit_code == 2 and "not a day" in day.output
    assert "Exit codes:" in runner.invoke(app, ["--help"]).output
    role = runner.invoke(app, ["token", "--district", "d", "--role", "boss", "--subject", "s"])
    assert role.exit_code == 2 and "no role 'boss'" in role.output


def test_the_cli_names_the_services_the_topics_declare() -> None:
    assert SERVICES == topics.SERVICES
