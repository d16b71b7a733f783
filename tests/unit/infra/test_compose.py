"""docker-compose.yml, the Dockerfile and infra.provision, checked without Docker or a broker."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from aiokafka.errors import KafkaConnectionError

import infra.provision as provision
from casebus.settings import Settings
from casebus.topics import SERVICES

ROOT = Path(__file__).resolve().parents[3]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
CASEBUS_VAR = re.compile(r"\bCASEBUS_[A-Z0-9_]+\b")
INTERPOLATION = re.compile(r"\$\{[^}]*\}")
# Environment variables that configure the container, not casebus.settings.Settings.
NOT_SETTINGS: set[str] = set()


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def env(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as strings, whether written as a mapping or a list."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in raw.items()}


def kafka_brokers(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {n: s for n, s in services.items() if str(s.get("image", "")).startswith("apache/kafka")}


def command(service: dict[str, Any]) -> list[str]:
    cmd = service["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


# Kafka ----------------------------------------------------------------------------------------

def test_three_kraft_brokers_with_replication_3_and_min_isr_2(services):
    brokers = kafka_brokers(services)
    assert len(brokers) == 3, sorted(brokers)
    node_ids = set()
    for name, broker in brokers.items():
        e = env(broker)
        node_ids.add(e["KAFKA_NODE_ID"])
        assert set(e["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}, name
        assert e["KAFKA_DEFAULT_REPLICATION_FACTOR"] == "3", name
        assert e["KAFKA_MIN_INSYNC_REPLICAS"] == "2", name
        assert e["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3", name
        assert e["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "3", name
        assert e["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false", name
        assert f"://{name}:9092" in e["KAFKA_ADVERTISED_LISTENERS"], name
        assert broker.get("volumes"), f"{name} keeps its log in a volume"
    assert len(node_ids) == 3, "every broker needs its own KAFKA_NODE_ID"
    assert len({env(b)["CLUSTER_ID"] for b in brokers.values()}) == 1, "one shared CLUSTER_ID"


def test_quorum_voters_are_exactly_the_three_brokers(services):
    brokers = kafka_brokers(services)
    expected = {f"{env(b)['KAFKA_NODE_ID']}@{name}:9093" for name, b in brokers.items()}
    for name, broker in brokers.items():
        assert set(env(broker)["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")) == expected, name


def test_bootstrap_lists_every_broker(services):
    brokers = set(kafka_brokers(services))
    for name in (*SERVICES, "kafka-ui"):
        e = env(services[name])
        bootstrap = e.get("CASEBUS_KAFKA_BOOTSTRAP") or e["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"]
        assert {hp.split(":")[0] for hp in bootstrap.split(",")} == brokers, name


# Settings -------------------------------------------------------------------------------------

def test_every_casebus_variable_is_a_setting():
    """A renamed or removed field of casebus.settings.Settings must fail here, not in production,
    where pydantic-settings would silently ignore the stale variable and use the default."""
    fields = set(Settings.model_fields)
    used = set(CASEBUS_VAR.findall(COMPOSE_FILE.read_text()))
    used |= set(CASEBUS_VAR.findall(DOCKERFILE.read_text()))
    assert used, "the compose file configures the services through CASEBUS_* variables"
    unknown = sorted(v for v in used - NOT_SETTINGS
                     if v.removeprefix("CASEBUS_").lower() not in fields)
    assert not unknown, f"not fields of casebus.settings.Settings: {unknown}"


def test_casebus_values_parse_as_settings(services, monkeypatch):
    for name in SERVICES:
        for key, value in env(services[name]).items():
            if key.startswith("CASEBUS_"):
                monkeypatch.setenv(key, INTERPOLATION.sub("x", value))
        settings = Settings()
        assert settings.service == name
        assert settings.http_port == 8000
        assert settings.http_host == "0.0.0.0"
        assert settings.topic_replication == 3
        assert settings.topic_partitions == 12
        assert settings.session_timeout_ms > Settings.model_fields["session_timeout_ms"].default
        assert settings.heartbeat_interval_ms * 3 <= settings.session_timeout_ms


def test_token_secret_has_no_default(services):
    for name in SERVICES:
        secret = env(services[name])["CASEBUS_TOKEN_SECRET"]
        assert re.fullmatch(r"\$\{CASEBUS_TOKEN_SECRET:\?[^}]+\}", secret), (name, secret)


# Services -------------------------------------------------------------------------------------

def test_each_service_has_its_own_database(services):
    databases = {}
    for name in SERVICES:
        # Interpolations such as ${POSTGRES_PASSWORD:?...} hold "?" and spaces: fill them first.
        url = urlsplit(INTERPOLATION.sub("x", env(services[name])["CASEBUS_DATABASE_URL"]))
        assert url.scheme in {"postgresql", "postgres"}, name
        assert url.hostname == "postgres", name
        databases[name] = url.path.lstrip("/")
    assert databases == {name: name for name in SERVICES}


def test_services_wait_for_provisioning_and_postgres(services):
    for name in SERVICES:
        depends = services[name]["depends_on"]
        assert depends["provision"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
    for broker in kafka_brokers(services):
        assert services["provision"]["depends_on"][broker]["condition"] == "service_healthy"


def test_services_are_published_on_8001_to_8004(services):
    published = {}
    for name in SERVICES:
        e = env(services[name])
        assert e["CASEBUS_SERVICE"] == name
        (mapping,) = services[name]["ports"]
        host_port, container_port = str(mapping).rsplit(":", 2)[-2:]
        assert container_port == e["CASEBUS_HTTP_PORT"] == "8000", name
        published[name] = int(host_port)
    assert sorted(published.values()) == [8001, 8002, 8003, 8004]


def test_long_running_containers_restart_and_have_healthchecks(services):
    for name, service in services.items():
        if name == "provision":
            assert service.get("restart", "no") == "no"
            continue
        assert service.get("restart") == "unless-stopped", name
        assert service.get("healthcheck", {}).get("test"), name


def test_postgres_keeps_its_data_in_a_named_volume(compose, services):
    (volume,) = [v for v in services["postgres"]["volumes"] if "/var/lib/postgresql/data" in v]
    assert volume.split(":")[0] in compose["volumes"]
    assert str(services["postgres"]["image"]).startswith("postgres:16")


def test_every_image_is_pinned(services):
    images = {name: str(s["image"]) for name, s in services.items() if "image" in s}
    images.update({f"Dockerfile FROM {i}": line.split()[1] for i, line in enumerate(
        DOCKERFILE.read_text().splitlines()) if line.upper().startswith("FROM ")})
    for name, service in services.items():
        assert "image" in service or "build" in service, name
    for name, image in images.items():
        reference = image.split("@")[0]
        repository, _, tag = reference.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image} has no tag"
        assert tag != "latest", f"{name}: {image} is not pinned"


# Dockerfile -----------------------------------------------------------------------------------

def test_dockerfile_installs_from_the_lock_without_dev_extras_and_drops_root():
    text = DOCKERFILE.read_text()
    assert "pip install -c requirements.lock ." in text
    assert "[dev]" not in text
    users = [line.split()[1] for line in text.splitlines() if line.startswith("USER ")]
    assert users and not users[-1].startswith(("root", "0")), users
    assert "HEALTHCHECK" in text and "/health" in text


# infra.provision ------------------------------------------------------------------------------

def test_provision_parser_accepts_the_compose_command(services):
    argv = command(services["provision"])
    start = argv.index("infra.provision") + 1
    assert argv[start - 2:start] == ["-m", "infra.provision"]
    args = provision.build_parser(Settings()).parse_args(argv[start:])
    assert args.replication == 3
    assert args.partitions == 12
    assert set(args.bootstrap.split(",")) == {f"{b}:9092" for b in kafka_brokers(services)}


def test_provision_defaults_come_from_settings():
    settings = Settings(kafka_bootstrap="k:1", topic_partitions=7, topic_replication=2)
    args = provision.build_parser(settings).parse_args([])
    assert (args.bootstrap, args.partitions, args.replication) == ("k:1", 7, 2)


def test_provision_rejects_nonsense_counts():
    with pytest.raises(SystemExit):
        provision.build_parser(Settings()).parse_args(["--replication", "0"])


def test_provision_retries_until_the_broker_answers(monkeypatch, capsys):
    calls = []

    async def flaky(bootstrap, *, partitions, replication):
        calls.append((bootstrap, partitions, replication))
        if len(calls) < 3:
            raise KafkaConnectionError("Unable to bootstrap")
        return ["petitions.intake.events"], "epoch-1"

    monkeypatch.setattr(provision, "provision_once", flaky)
    monkeypatch.setattr(provision, "INITIAL_BACKOFF", 0.01)
    code = provision.main(["--bootstrap", "k:9092", "--partitions", "12", "--replication", "3"])
    out = capsys.readouterr()
    assert code == 0, out
    assert calls == [("k:9092", 12, 3)] * 3
    assert "created petitions.intake.events" in out.out
    assert "epoch-1" in out.out


def test_provision_gives_up_with_a_clear_message(monkeypatch, capsys):
    async def down(bootstrap, *, partitions, replication):
        raise KafkaConnectionError("Unable to bootstrap")

    monkeypatch.setattr(provision, "provision_once", down)
    monkeypatch.setattr(provision, "INITIAL_BACKOFF", 0.01)
    code = provision.main(["--bootstrap", "nowhere:9092", "--timeout", "0.2"])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: Kafka at nowhere:9092 not ready after 0.2 s" in err
    assert "Unable to bootstrap" in err
