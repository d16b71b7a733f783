"""After the chaos run: fuzz each service from its own OpenAPI document with schemathesis (the
command of tests/e2e/fuzz/test_openapi_fuzz.py, as a leader, for a given time). No input may
give a 5xx."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Enough examples per operation that the time, not the count, ends a long run (the smallest
# service has a handful of operations: 5,000 requests need about 1,000 each).
MAX_EXAMPLES = 2000
_TEST_CASES = re.compile(r"Test cases:\s*(\d+)")


@dataclass
class FuzzOutcome:
    service: str
    ok: bool
    requests: int | None  # test cases schemathesis reports having run
    tail: str  # the end of its output, shown when it failed


def fuzz(service: str, url: str, bearer: str, seconds: int, out: Path) -> FuzzOutcome:
    """``out``: where schemathesis's whole output is kept."""
    with tempfile.TemporaryDirectory(prefix="chaos-fuzz-") as reports:
        command = [str(Path(sys.executable).parent / "st"), "run", f"{url}/openapi.json",
                   "--checks", "not_a_server_error", "--phases", "examples,coverage,fuzzing",
                   "--generation-allow-x00", "true", "--max-time", str(seconds),
                   "--max-examples", str(MAX_EXAMPLES), "--workers", "1",
                   "--generation-database", "none", "--no-color", "--request-timeout", "20",
                   "--report", "junit", "--report-dir", reports,
                   "-H", f"Authorization: Bearer {bearer}"]
        try:
            run = subprocess.run(command, capture_output=True, text=True,
                                 timeout=seconds * 3 + 120,
                                 env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
        except subprocess.TimeoutExpired as expired:
            partial = expired.stdout if isinstance(expired.stdout, str) else ""
            return FuzzOutcome(service, False, None,
                               "schemathesis did not finish\n" + partial[-3000:])
    out.write_text(run.stdout + run.stderr)
    found = _TEST_CASES.findall(run.stdout)
    return FuzzOutcome(service, run.returncode == 0, int(found[-1]) if found else None,
                       (run.stdout[-4000:] + run.stderr[-1000:]).strip())
