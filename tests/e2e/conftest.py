"""The four services as separate processes on the session's PostgreSQL and their own broker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from casebus.embedded.postgres import EmbeddedPostgres
from infra.system import EmbeddedSystem


@pytest.fixture(scope="module")
def system(embedded_postgres: EmbeddedPostgres,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSystem]:
    s = EmbeddedSystem(data_dir=Path(tmp_path_factory.mktemp("system")),
                       database_prefix=f"e2e_{uuid4().hex[:6]}_",
                       extra_env={"CASEBUS_BROKER_EPOCH_CHECK_SECONDS": "0.5",
                                  "CASEBUS_HEARTBEAT_INTERVAL_MS": "300",
                                  "CASEBUS_LOG_LEVEL": "INFO"})
    s.start_infrastructure(broker_port=0, postgres=embedded_postgres)
    s.start_services({"intake": 0, "routing": 0, "accountability": 0, "reporting": 0})
    s.wait_until_registering()
    yield s
    s.stop(stop_postgres=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()
SYSTEMS = ("system", "fuzzed_system", "lifecycle_system")  # the e2e packages' systems


@pytest.fixture(autouse=True)
def service_logs_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """A failed end-to-end test shows the last lines each service logged."""
    yield
    systems = [request.getfixturevalue(name) for name in SYSTEMS if name in request.fixturenames]
    for system in systems if request.node.stash.get(_FAILED, False) else ():
        for name, proc in system.services.items():
            lines = proc.log_path.read_text(errors="replace").splitlines()[-25:]
            print(f"\n----- {name} ({proc.log_path}) -----\n" + "\n".join(lines))
