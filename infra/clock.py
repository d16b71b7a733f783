"""Move the embedded system's simulated clock: ``./dev clock show | advance 3d | advance 12h``.

``./dev up --simulated-clock`` runs every service on one shared simulated clock kept in
``$CASEBUS_DATA_DIR/clock.json``; advancing it lets a demo live through 60 days in seconds
(clocks warn and breach on the way, exactly as they would in real time).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import timedelta
from pathlib import Path

from casebus.clock import SharedSimulatedClock
from casebus.domain.clock_condition import local_iso

_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def clock_file() -> Path:
    return Path(os.environ.get("CASEBUS_DATA_DIR", "var")).resolve() / "clock.json"


def parse_span(text: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([dhm])", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: say how far, e.g. 3d, 12h or 30m")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev clock", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("show", help="print the simulated time")
    advance = sub.add_parser("advance", help="move the simulated time forward")
    advance.add_argument("span", type=parse_span, help="e.g. 3d, 12h, 30m")
    args = parser.parse_args(argv)
    path = clock_file()
    if not path.exists():
        print(f"error: no simulated clock at {path}; start with ./dev up --simulated-clock",
              file=sys.stderr)
        return 2
    clock = SharedSimulatedClock(path)
    now = clock.advance(args.span) if args.command == "advance" else clock.now()
    print(f"simulated time: {local_iso(now)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
