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
    s.start_infrastructure(broker_port=49092, postgres=embedded_postgres)
    s.start_services({"intake": 18001, "routing": 18002, "accountability": 18003,
                      "reporting": 18004})
    yield s
    s.stop(stop_postgres=False)
