"""Start the whole system on the embedded stack, seed a demo district, print where it is.

    python -m infra.up            (Ctrl-C stops everything)

Environment: CASEBUS_DATA_DIR (default ./var), CASEBUS_PG_PORT (5432), CASEBUS_BROKER_PORT
(9092); service ports 8001-8004 (the next free one if taken; printed).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from casebus.access import Role, mint_token
from casebus.settings import Settings
from infra.demo import seed
from infra.system import EmbeddedSystem


def main() -> None:
    data_dir = Path(os.environ.get("CASEBUS_DATA_DIR", "var")).resolve()
    system = EmbeddedSystem(data_dir)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        print(f"starting PostgreSQL and the broker (data in {data_dir}) ...", flush=True)
        system.start_infrastructure(int(os.environ.get("CASEBUS_PG_PORT", "5432")),
                                    int(os.environ.get("CASEBUS_BROKER_PORT", "9092")))
        print("starting intake, routing, accountability, reporting ...", flush=True)
        system.start_services()
        secret = Settings().token_secret
        clerk = mint_token(secret, subject="demo-clerk", district="chaoyang", role=Role.CLERK)
        leader = mint_token(secret, subject="demo-leader", district="chaoyang", role=Role.LEADER)
        cases = seed(system.services["intake"].url, clerk)
        assert system.postgres and system.broker
        print("\nThe petition system is running (district 'chaoyang').")
        print(f"  PostgreSQL  {system.postgres.dsn_base}   broker  {system.broker.bootstrap}")
        for name, proc in system.services.items():
            print(f"  {name:<15} {proc.url}/docs   (health {proc.url}/health, "
                  f"metrics {proc.url}/metrics)")
        print(f"\nSeeded {len(cases)} demo petitions. Demo tokens (30 days):")
        print(f"  clerk   {clerk}\n  leader  {leader}")
        print("\nTry:\n  curl -H 'Authorization: Bearer <leader token>' "
              f"{system.services['reporting'].url}/api/v1/backlog")
        print("\nLogs in", data_dir, "- press Ctrl-C to stop.", flush=True)
        while not stopping:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nstopping ...", flush=True)
        system.stop()
        print("stopped.")


if __name__ == "__main__":
    main()
