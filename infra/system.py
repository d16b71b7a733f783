"""The whole system on one machine: embedded PostgreSQL and broker, and the four services as
separate processes. Used by ``python -m infra.up`` and by the end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from casebus.broker_epoch import establish_epoch
from casebus.clock import SharedSimulatedClock
from casebus.embedded.broker import EmbeddedBroker, free_port
from casebus.embedded.postgres import EmbeddedPostgres

SERVICE_PORTS = {"intake": 8001, "routing": 8002, "accountability": 8003, "reporting": 8004,
                 "early_warning": 8005}  # the faust worker: /ready and /health only


@dataclass
class ServiceProcess:
    name: str  # the instance: "accountability", or "accountability-2" for a second one
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def service(self) -> str:
        return self.name.split("-")[0]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen([sys.executable, "-m", f"services.{self.service}"],
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                        cwd=Path(__file__).resolve().parent.parent,
                                        # Ctrl-C goes to ./dev up alone, which stops the
                                        # services before the broker and PostgreSQL.
                                        start_new_session=True)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a graceful stop that hangs must not hang us
                self.process.kill()
                self.process.wait(timeout=10)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log_path}")
            try:
                if httpx.get(f"{self.url}/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} not ready in {timeout}s; see {self.log_path}")


@dataclass
class EmbeddedSystem:
    data_dir: Path
    durable: bool = True
    database_prefix: str = ""
    # Run every service on one shared simulated clock (casebus.clock.SharedSimulatedClock).
    simulated_clock: SharedSimulatedClock | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    postgres: EmbeddedPostgres | None = None
    broker: EmbeddedBroker | None = None
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def start_infrastructure(self, pg_port: int = 5432, broker_port: int = 9092,
                             postgres: EmbeddedPostgres | None = None) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.postgres = postgres or EmbeddedPostgres(self.data_dir / "postgres",
                                                     free_port(pg_port), self.durable)
        if postgres is None:
            self.postgres.start()
        self.broker = EmbeddedBroker(free_port(broker_port), self.data_dir / "broker.log")
        self.broker.start()
        asyncio.run(establish_epoch(self.broker.bootstrap, partitions=4, replication=1))

    def service_env(self, name: str, port: int) -> dict[str, str]:
        """The environment of an instance; instances of one service share its database."""
        assert self.postgres and self.broker
        name = name.split("-")[0]
        clock = ({"CASEBUS_SIMULATED_CLOCK_FILE": str(self.simulated_clock.path)}
                 if self.simulated_clock else {})
        return {**os.environ, **self.extra_env, **clock,
                "CASEBUS_PROFILE": "embedded", "CASEBUS_SERVICE": name,
                "CASEBUS_HTTP_PORT": str(port),
                "CASEBUS_DATABASE_URL": self.postgres.dsn(f"{self.database_prefix}{name}"),
                "CASEBUS_KAFKA_BOOTSTRAP": self.broker.bootstrap}

    def start_services(self, ports: dict[str, int] | None = None) -> None:
        given: set[int] = set()  # a started process binds its port only a moment later
        for name, preferred in (ports or SERVICE_PORTS).items():
            port = free_port(preferred, taken=given)
            given.add(port)
            proc = ServiceProcess(name, port, self.service_env(name, port),
                                  self.data_dir / f"{name}.log")
            proc.start()
            self.services[name] = proc
        for proc in self.services.values():
            proc.wait_ready()

    def wait_until_registering(self, districts: tuple[str, ...] = ("chaoyang",),
                               timeout: float = 60.0) -> None:
        """Intake registers a district's petitions once it has read routing's rules for it
        (published at routing's start): wait for that, as an office's system would."""
        from casebus.access import Role, mint_token
        from casebus.settings import Settings

        intake = self.services["intake"]
        deadline = time.monotonic() + timeout
        for district in districts:
            token = mint_token(Settings().token_secret, subject="embedded-system",
                               district=district, role=Role.CLERK)
            while True:
                try:
                    answer = httpx.get(f"{intake.url}/api/v1/registration", timeout=5,
                                       headers={"Authorization": f"Bearer {token}"})
                    if answer.status_code == 200 and answer.json()["open"]:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"intake does not register {district}'s petitions after "
                                       f"{timeout}s; see {intake.log_path}")
                time.sleep(0.2)

    def stop(self, stop_postgres: bool = True) -> None:
        for proc in self.services.values():
            proc.kill(signal.SIGTERM)
        if self.broker:
            self.broker.kill()
        if self.postgres and stop_postgres:
            self.postgres.stop()
