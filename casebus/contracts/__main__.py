"""``python -m casebus.contracts write|check [--dir DIR]``.

write  regenerate the contract files (JSON Schemas and the AsyncAPI document) from the code.
       It refuses to replace a schema by an incompatible one unless --allow-breaking.
check  exit 1, saying why, if the checked-in files differ from what the code generates or if a
       current schema is not backward compatible with the checked-in one. In CI, add
       --baseline-ref origin/main to judge compatibility against the target branch's contracts
       too: otherwise a breaking change regenerated with --allow-breaking would pass.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from casebus.contracts.generate import (
    DEFAULT_DIR,
    BreakingChange,
    baseline_from_git,
    check,
    write,
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebus.contracts",
                                     description="Public event contracts: generate or check.")
    parser.add_argument("command", choices=("write", "check"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                        help=f"the contracts directory (default: {DEFAULT_DIR})")
    parser.add_argument("--allow-breaking", action="store_true",
                        help="write: replace schemas even by incompatible ones")
    parser.add_argument("--baseline-ref", metavar="GIT_REF",
                        help="check: also judge compatibility against the schemas committed "
                             "at this git ref (read with git show)")
    args = parser.parse_args(argv)
    directory: Path = args.dir
    if args.command == "write":
        try:
            changes = write(directory, allow_breaking=args.allow_breaking)
        except BreakingChange as refused:
            print("Refusing to write: these changes would break subscribers. Publish them as "
                  "a new version (raise the event's `version`), or pass --allow-breaking:",
                  file=sys.stderr)
            for reason in refused.reasons:
                print(f"  {reason}", file=sys.stderr)
            return 1
        for change in changes:
            print(change)
        print(f"{len(changes)} file(s) changed in {directory}")
        return 0
    try:
        baseline = (baseline_from_git(args.baseline_ref, directory) if args.baseline_ref
                    else None)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"cannot read the contracts at git ref {args.baseline_ref!r}: {error}",
              file=sys.stderr)
        return 2
    report = check(directory, baseline)
    print(report.render(directory), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
