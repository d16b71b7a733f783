"""Every operation of every service, fuzzed from its own OpenAPI document with schemathesis
(examples, coverage and fuzzing phases, NUL bytes allowed) as a clerk, as a leader and with no
token: no answer is a 5xx, and every service is alive afterwards.

Bounded: ``FUZZ_SECONDS`` per service and caller (``CASEBUS_FUZZ_SECONDS`` for a longer one).
One worker: hypothesis describes strategies by parsing source with ``ast``, which is not
thread-safe on Python 3.11 ("AST constructor recursion depth mismatch" with several workers).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from casebus.access import Role
from casebus.embedded.postgres import EmbeddedPostgres
from infra.system import EmbeddedSystem
from tests.e2e.lifecycle.office import token

pytestmark = pytest.mark.e2e
FUZZ_SECONDS = int(os.environ.get("CASEBUS_FUZZ_SECONDS", "12"))
CALLERS = {"clerk": token(Role.CLERK, "fuzz-clerk"), "leader": token(Role.LEADER, "fuzz-leader"),
           "nobody": None}
SERVICES = ("intake", "routing", "accountability", "reporting")


@pytest.fixture(scope="module")
def fuzzed_system(embedded_postgres: EmbeddedPostgres,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSystem]:
    s = EmbeddedSystem(data_dir=Path(tmp_path_factory.mktemp("fuzz")),
                       database_prefix=f"fuzz_{uuid4().hex[:6]}_",
                       extra_env={"CASEBUS_LOG_LEVEL": "WARNING"})
    s.start_infrastructure(broker_port=0, postgres=embedded_postgres)
    s.start_services({name: 0 for name in SERVICES})
    s.wait_until_registering()
    yield s
    s.stop(stop_postgres=False)


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("service", SERVICES)
def test_no_input_gives_a_server_error(fuzzed_system: EmbeddedSystem, service: str,
                                       caller: str, tmp_path: Path) -> None:
    url = fuzzed_system.services[service].url
    command = [str(Path(sys.executable).parent / "st"), "run", f"{url}/openapi.json",
               "--checks", "not_a_server_error", "--phases", "examples,coverage,fuzzing",
               "--generation-allow-x00", "true", "--max-time", str(FUZZ_SECONDS),
               "--max-examples", "25", "--workers", "1", "--seed", "20261201",
               "--generation-database", "none", "--no-color", "--request-timeout", "20",
               "--report", "junit", "--report-dir", str(tmp_path)]
    bearer = CALLERS[caller]
    if bearer:
        command += ["-H", f"Authorization: Bearer {bearer}"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=FUZZ_SECONDS * 10,
                         env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    for name, proc in fuzzed_system.services.items():
        assert httpx.get(f"{proc.url}/health", timeout=5).status_code == 200, name
