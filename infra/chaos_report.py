"""The chaos suite's table: what it did (faults and when, the load and its answers) and what it
found (each check: expected, found, OK or FAIL), and for a FAIL the cases and log lines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from infra.chaos_checks import Check
from infra.chaos_faults import Fault
from infra.chaos_load import LoadResult

LOG_LINES = 8  # per failed check


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def did(faults: Sequence[Fault], fault_error: str | None, load: LoadResult, petitions: int,
        rate: float, seconds: dict[str, float]) -> str:
    rows = [[f"{f.at:7.1f}s", f.name, f"back in {f.recovered_in:.1f}s"] for f in faults]
    if fault_error:
        rows.append(["", "FAULT INJECTION FAILED", fault_error])
    answers = load.answers
    others = {k: v for k, v in answers.items() if k not in ("201", "503", "timeout",
                                                             "connection error")}
    stats = [["petitions posted", f"{petitions} at {rate:g}/s"],
             ["answered 201", str(len(load.cases))],
             ["  of which replays of a lost answer", str(load.replayed)],
             ["retries (same Idempotency-Key)", str(load.retries)],
             ["503 answers", str(answers["503"])],
             ["timeouts", str(answers["timeout"])],
             ["connection errors", str(answers["connection error"])],
             ["other answers", ", ".join(f"{k}: {v}" for k, v in others.items()) or "0"],
             *([k.replace("_", " ") + " (s)", f"{v:.1f}"] for k, v in seconds.items())]
    return (table(rows, ["when", "fault", "recovery"]) + "\n\n"
            + table(stats, ["load", "count"]))


def found(checks: Sequence[Check]) -> str:
    return table([[c.name, c.expected, c.found, "OK" if c.ok else "FAIL"] for c in checks],
                 ["check", "expected", "found", "result"])


def failures(checks: Sequence[Check], logs: Sequence[Path]) -> str:
    """For each FAIL: the first offending cases, notes, and the log lines that mention them."""
    parts = []
    for check in (c for c in checks if not c.ok):
        parts.append(f"FAIL {check.name}: expected {check.expected}, found {check.found}")
        if check.cases:
            parts.append("  cases: " + ", ".join(check.cases))
        parts += [f"  {n}" for n in check.notes]
        parts += [f"  {line}" for line in _mentions(check.cases, logs)]
    return "\n".join(parts)


def _mentions(case_ids: Sequence[str], logs: Sequence[Path]) -> list[str]:
    if not case_ids:
        return []
    lines: list[str] = []
    for log in logs:
        if not log.exists():
            continue
        with log.open(errors="replace") as text:
            for line in text:
                if any(c in line for c in case_ids):
                    lines.append(f"{log.name}: {line.rstrip()[:400]}")
                    if len(lines) >= LOG_LINES:
                        return lines
    return lines
