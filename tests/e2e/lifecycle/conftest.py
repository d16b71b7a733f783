"""The four services as processes, two instances of each, on one shared simulated clock, for
the case-lifecycle scenarios. The clock starts on Monday 2 March 2026, 09:00 in
Beijing, and only goes forward: each scenario jumps it as far as it needs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from uuid import uuid4

import pytest

from casebus.clock import SharedSimulatedClock
from casebus.domain.deadlines import CHINA_TZ
from casebus.embedded.postgres import EmbeddedPostgres
from infra.system import EmbeddedSystem
from tests.e2e.lifecycle.office import Office

START = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA_TZ)


@pytest.fixture(scope="package")
def lifecycle_system(embedded_postgres: EmbeddedPostgres,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSystem]:
    data_dir = Path(tmp_path_factory.mktemp("lifecycle"))
    s = EmbeddedSystem(data_dir=data_dir, database_prefix=f"life_{uuid4().hex[:6]}_",
                       simulated_clock=SharedSimulatedClock.starting_at(
                           data_dir / "clock.json", START),
                       extra_env={"CASEBUS_BROKER_EPOCH_CHECK_SECONDS": "0.5",
                                  "CASEBUS_HEARTBEAT_INTERVAL_MS": "300",
                                  "CASEBUS_SCHEDULER_INTERVAL_SECONDS": "0.3",
                                  "CASEBUS_LOG_LEVEL": "INFO"})
    s.start_infrastructure(broker_port=0, postgres=embedded_postgres)
    # Two instances of every service, requests spread over both: every command, assignment,
    # clock, warning and breach must still happen exactly once and in order.
    s.start_services({name: 0 for service in ("intake", "routing", "accountability", "reporting")
                      for name in (service, f"{service}-2")})
    s.wait_until_registering()
    yield s
    s.stop(stop_postgres=False)


@pytest.fixture(scope="package")
def office(lifecycle_system: EmbeddedSystem) -> Iterator[Office]:
    with Office(lifecycle_system) as o:
        yield o
