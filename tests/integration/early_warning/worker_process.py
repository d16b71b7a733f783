"""The early-warning worker as a process of its own (so a test can SIGKILL it), and the public
events a test publishes to it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from casebus.envelope import CloudEvent, make_cloud_event


class WorkerProcess:
    def __init__(self, bootstrap: str, port: int, log_path: Path, **settings: str) -> None:
        self.port, self.log_path = port, log_path
        self.env = {**os.environ, "CASEBUS_KAFKA_BOOTSTRAP": bootstrap,
                    "CASEBUS_HTTP_PORT": str(port), "CASEBUS_PROFILE": "embedded",
                    "CASEBUS_TOPIC_PARTITIONS": "4", "CASEBUS_SESSION_TIMEOUT_MS": "3000",
                    "CASEBUS_HEARTBEAT_INTERVAL_MS": "300", "CASEBUS_LOG_JSON": "false",
                    **{f"CASEBUS_{k.upper()}": v for k, v in settings.items()}}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "services.early_warning"],
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process and self.process.poll() is None, self.log_tail()
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"worker not ready in {timeout}s:\n{self.log_tail()}")

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=2)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def registered(case_id: str, at: datetime, petitioner_ids: list[str], *,
               community: str = "Dingjia", category: str = "gas",
               district: str = "chaoyang") -> CloudEvent:
    data: dict[str, Any] = {
        "case_id": case_id, "district": district, "occurred_at": at.isoformat(),
        "received_at": at.isoformat(), "channel": "visit", "category": category,
        "community": community, "location": None, "subject": "Gas never connected",
        "level": "county", "petitioner_ids": petitioner_ids,
        "petitioner_count": len(petitioner_ids), "collective": False, "representatives": None,
        "skip_level": False, "responsible_level": None, "key_person": False,
        "key_period": False, "matter_kind": "claim"}
    return make_cloud_event(event_id=str(uuid4()), source="intake",
                            wire_type="petition.case.registered.v1", subject=case_id, time=at,
                            district=district, correlation_id=case_id, causation_id=case_id,
                            actor="clerk:wang", data=data)


def assigned(case_id: str, at: datetime, unit_id: str, district: str = "chaoyang") -> CloudEvent:
    data: dict[str, Any] = {"case_id": case_id, "district": district,
                            "occurred_at": at.isoformat(), "unit_id": unit_id,
                            "assisting_unit_ids": [], "category": "gas", "rule_id": "gas",
                            "explanation": "gas goes to the gas company", "level": "county",
                            "rules_version": 1}
    return make_cloud_event(event_id=str(uuid4()), source="routing",
                            wire_type="petition.case.assigned.v1", subject=case_id, time=at,
                            district=district, correlation_id=case_id, causation_id=case_id,
                            actor="system:routing", data=data)
