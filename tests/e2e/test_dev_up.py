"""``./dev up`` as a user runs it: started as a background job (SIGINT ignored, as a shell does
for ``&``), it comes up and seeds the demo district, and one SIGINT stops every process it
started, the services before the broker and PostgreSQL, without error lines."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # what a shell does for a background job


def test_dev_up_comes_up_and_one_sigint_stops_everything(tmp_path: Path) -> None:
    log = tmp_path / "up.log"
    with open(log, "wb") as out:
        up = subprocess.Popen([sys.executable, "-m", "infra.up"], cwd=ROOT, stdout=out,
                              stderr=subprocess.STDOUT, preexec_fn=_ignore_sigint,
                              env={**os.environ, "CASEBUS_DATA_DIR": str(tmp_path / "var"),
                                   "CASEBUS_PG_PORT": "35432", "CASEBUS_BROKER_PORT": "39092"})
    try:
        deadline = time.monotonic() + 180
        while "press Ctrl-C to stop" not in log.read_text(errors="replace"):
            assert up.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        started = [p for p in psutil.Process(up.pid).children(recursive=True)]
        seeded = log.read_text()
        assert "Seeded 13 demo petitions" in seeded
        assert "(breach breach/letter-" in seeded, seeded  # the letter's breach was recorded
        assert "/rankings/ranking-" in seeded, seeded
        assert "early warning collective Dingjia/gas: 5 petitioners" in seeded, seeded
        up.send_signal(signal.SIGINT)
        assert up.wait(timeout=90) == 0
    finally:
        if up.poll() is None:  # a failed check: stop it in order, or its services outlive it
            up.send_signal(signal.SIGINT)
            try:
                up.wait(timeout=90)
            except subprocess.TimeoutExpired:
                up.kill()
    assert "stopped." in log.read_text()
    alive = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, [p.cmdline() for p in alive]
    postgres = [p for p in psutil.process_iter(["cmdline"])
                if str(tmp_path) in " ".join(p.info["cmdline"] or [])]
    assert not postgres, "PostgreSQL outlived ./dev up"
    for service_log in (tmp_path / "var").glob("*.log"):
        errors = [line for line in service_log.read_text(errors="replace").splitlines()
                  if '"level": "error"' in line]
        assert not errors, (service_log.name, errors[:3])
