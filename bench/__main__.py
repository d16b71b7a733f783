"""``./dev bench`` (``python -m bench``): start the whole system on a temporary, durable embedded
stack; measure end-to-end latency, intake throughput with each process's CPU, growth with
history, the rebuild of reporting and event-store appends; print each target of issue 10 beside
its figure and write every figure to bench/results.json. See bench/README.md."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import signal
import tempfile
import time
import warnings
from pathlib import Path

from bench import QUICK, Plan
from bench.progress import say
from bench.report import summary, table, write_json
from bench.store_appends import PAYLOAD_BYTES
from bench.system_run import PHASES, measure


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    parser.add_argument("--repeats", type=int, help="runs per measurement (default 3)")
    parser.add_argument("--skip", default="", help=f"phases to leave out, comma separated: "
                        f"{','.join(PHASES)} (a partial run writes no results file)")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if skip - set(PHASES):
        parser.error(f"--skip takes {', '.join(PHASES)}")
    plan = QUICK if args.quick else Plan()
    if args.repeats:
        plan = dataclasses.replace(plan, repeats=args.repeats)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")  # from importing pgserver
    from infra.system import EmbeddedSystem

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C
    data_dir = Path(tempfile.mkdtemp(prefix="casebus-bench-"))
    system = EmbeddedSystem(data_dir, durable=True)
    load_before, started = os.getloadavg()[0], time.time()
    ok = False
    try:
        say(f"starting PostgreSQL (durable), the broker and four services in {data_dir} ...")
        rows, failed = measure(system, plan, skip)
        ok = not failed  # else keep the services' logs
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: stop everything, keep nothing
        ok = True
        raise
    finally:
        system.stop()
        if ok:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            say(f"\nstopped everything; logs kept in {data_dir}")
    load_after = os.getloadavg()[0]
    kind = "quick" if args.quick else "full"
    print(f"\n{kind} run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, "
          f"{time.time() - started:.0f} s, medians of {plan.repeats}; store payload "
          f"{PAYLOAD_BYTES} bytes; load average {load_before:.1f} before, {load_after:.1f} "
          f"after (2 cores: >2 means something else runs too)\n")
    print(table(rows, plan.repeats))
    failures = f"; phases failed (see above): {', '.join(failed)}" if failed else ""
    print(f"\n{summary(rows)}{failures}")
    if skip:
        return
    path = write_json(rows, args.quick, {
        "run": kind, "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started), "plan": dataclasses.asdict(plan),
        "load_average": {"before": load_before, "after": load_after}, "failed_phases": failed})
    print(f"figures written to {path}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("interrupted") from None
