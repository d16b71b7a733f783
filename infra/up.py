"""Start the whole system on the embedded stack, seed a demo district, print where it is.

    python -m infra.up [--simulated-clock]       (Ctrl-C stops everything)

With ``--simulated-clock`` every service runs on one shared simulated clock that
``./dev clock advance 3d`` moves forward (demos of deadlines, warnings and breaches).

Environment: CASEBUS_DATA_DIR (default ./var), CASEBUS_PG_PORT (5432), CASEBUS_BROKER_PORT
(9092); service ports 8001-8004 (the next free one if taken; printed).
"""

from __future__ import annotations

import argparse
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from casebus.access import Role, mint_token
from casebus.clock import SharedSimulatedClock
from casebus.settings import Settings
from infra.demo import seed, seed_leaders_view
from infra.system import EmbeddedSystem


def main() -> None:
    parser = argparse.ArgumentParser(prog="./dev up", description="Start the whole system.")
    parser.add_argument("--simulated-clock", action="store_true",
                        help="run every service on a shared simulated clock (./dev clock)")
    args = parser.parse_args()
    data_dir = Path(os.environ.get("CASEBUS_DATA_DIR", "var")).resolve()
    system = EmbeddedSystem(data_dir)
    if args.simulated_clock:
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / "clock.json"
        # Kept across restarts: the simulated time never goes back, or history would.
        system.simulated_clock = (SharedSimulatedClock(path) if path.exists() else
                                  SharedSimulatedClock.starting_at(path, datetime.now(UTC)))

    def stop(*_: object) -> None:
        # Once: a second Ctrl-C must not cut the orderly stop short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    # Handled explicitly: a shell starts a background job with SIGINT ignored, and Python then
    # raises no KeyboardInterrupt, so PostgreSQL would outlive us.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        print(f"starting PostgreSQL and the broker (data in {data_dir}) ...", flush=True)
        system.start_infrastructure(int(os.environ.get("CASEBUS_PG_PORT", "5432")),
                                    int(os.environ.get("CASEBUS_BROKER_PORT", "9092")))
        print("starting intake, routing, accountability, reporting, early warning ...",
              flush=True)
        system.start_services()
        system.wait_until_registering()
        secret = Settings().token_secret
        clerk = mint_token(secret, subject="demo-clerk", district="chaoyang", role=Role.CLERK)
        leader = mint_token(secret, subject="demo-leader", district="chaoyang", role=Role.LEADER)
        cases = seed(system.services["intake"].url, clerk)
        urls = {name: proc.url for name, proc in system.services.items()}
        leaders_view = seed_leaders_view(urls, leader, cases[1])
        assert system.postgres and system.broker
        print("\nThe petition system is running (district 'chaoyang').")
        print(f"  PostgreSQL  {system.postgres.dsn_base}   broker  {system.broker.bootstrap}")
        for name, proc in system.services.items():
            if name == "early_warning":
                print(f"  {name:<15} {proc.url}/ready   (the faust worker; its warnings are "
                      "on petitions.early-warning.events)")
                continue
            print(f"  {name:<15} {proc.url}/docs   (health {proc.url}/health, "
                  f"metrics {proc.url}/metrics)")
        print(f"\nSeeded {len(cases)} demo petitions, a responsibility letter of "
              "lakeside-property that the owners' collective petition breaks (breach "
              f"{leaders_view.breach}), the month's ranking of units "
              f"({urls['reporting']}/api/v1/rankings/{leaders_view.ranking_id}), and five "
              f"neighbours on one matter: early warning {leaders_view.warning} "
              f"({urls['reporting']}/api/v1/early-warnings).")
        print("Demo tokens (30 days):")
        print(f"  clerk   {clerk}\n  leader  {leader}")
        print("\nTry:\n  curl -H 'Authorization: Bearer <leader token>' "
              f"{system.services['reporting'].url}/api/v1/backlog")
        print(f"\nThe dashboard: {system.services['reporting'].url}/dashboard/  "
              "(sign in by pasting the leader or clerk token above; a unit's view: "
              "./dev token --district chaoyang --role unit-handler --subject li "
              "--unit gas-company)")
        print("\nLogs in", data_dir, "- press Ctrl-C to stop.", flush=True)
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nstopping ...", flush=True)
        system.stop()
        print("stopped.")


if __name__ == "__main__":
    main()
