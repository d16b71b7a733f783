"""Render the contract files from the code, write them, and check the checked-in ones.

``check`` fails when the checked-in files differ from what the code generates (someone changed
an event without running ``write``) or when a current schema is not backward compatible with
the checked-in one for the same wire type (that change needs a new version).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebus.contracts.asyncapi import asyncapi_document, render_yaml
from casebus.contracts.catalogue import PublishedEvent, catalogue
from casebus.contracts.compatibility import breaking_changes
from casebus.contracts.schemas import SCHEMAS_DIR, public_schema, render_json, schema_file_name

ASYNCAPI_FILE = "asyncapi.yaml"
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "contracts"


def schemas(entries: tuple[PublishedEvent, ...] | None = None) -> dict[str, dict[str, Any]]:
    """The public schema of every published wire type, by wire type."""
    return {e.wire_type: public_schema(e.event) for e in (entries or catalogue())}


def render_all() -> dict[str, str]:
    """Every contract file, by path relative to the contracts directory (POSIX separators)."""
    entries = catalogue()
    files = {f"{SCHEMAS_DIR}/{schema_file_name(wire_type)}": render_json(schema)
             for wire_type, schema in schemas(entries).items()}
    files[ASYNCAPI_FILE] = render_yaml(asyncapi_document(entries))
    return dict(sorted(files.items()))


def checked_in(directory: Path) -> dict[str, str]:
    """The contract files present in ``directory``, by relative path."""
    found: dict[str, str] = {}
    if (directory / ASYNCAPI_FILE).is_file():
        found[ASYNCAPI_FILE] = (directory / ASYNCAPI_FILE).read_text(encoding="utf-8")
    schema_dir = directory / SCHEMAS_DIR
    if schema_dir.is_dir():
        for path in sorted(schema_dir.glob("*.json")):
            found[f"{SCHEMAS_DIR}/{path.name}"] = path.read_text(encoding="utf-8")
    return found


def baseline_from_git(ref: str, directory: Path = DEFAULT_DIR) -> dict[str, str]:
    """The contract files as committed at ``ref`` (read-only git), by relative path."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=directory.parent, check=True,
                              capture_output=True, text=True).stdout

    git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")  # an unknown ref fails
    prefix = git("rev-parse", "--show-prefix").strip()
    base = f"{prefix}{directory.name}/{SCHEMAS_DIR}"
    found: dict[str, str] = {}
    for path in git("ls-tree", "-r", "--name-only", ref, "--", f"{base}/").splitlines():
        name = path.rsplit("/", 1)[-1]
        if name.endswith(".json"):
            found[f"{SCHEMAS_DIR}/{name}"] = git("show", f"{ref}:{path}")
    return found


class BreakingChange(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("\n".join(reasons))
        self.reasons = reasons


def write(directory: Path = DEFAULT_DIR, *, allow_breaking: bool = False) -> list[str]:
    """Make ``directory`` hold exactly the generated files. Returns what changed.

    Refuses (``BreakingChange``) to replace a schema by an incompatible one unless
    ``allow_breaking``: an incompatible change should be a new version instead.
    """
    wanted = render_all()
    present = checked_in(directory)
    if not allow_breaking:
        reasons = _breaking(present, schemas())
        if reasons:
            raise BreakingChange(reasons)
    changed = []
    for rel, text in wanted.items():
        if present.get(rel) != text:
            target = directory / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
            changed.append(f"{'updated' if rel in present else 'created'} {rel}")
    for rel in sorted(present.keys() - wanted.keys()):
        (directory / rel).unlink()
        changed.append(f"removed {rel}")
    return changed


@dataclass
class CheckReport:
    breaking: list[str] = field(default_factory=list)
    out_of_date: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaking and not self.out_of_date

    def render(self, directory: Path) -> str:
        if self.ok:
            return f"contracts in {directory} are up to date and compatible"
        lines = []
        if self.breaking:
            lines.append("BREAKING changes to published event types (a subscriber would fail). "
                         "Keep the old shape, or publish the change as a new version "
                         "(raise the event's `version`, which makes a new wire type):")
            lines += [f"  {reason}" for reason in self.breaking]
        if self.out_of_date:
            lines.append(f"Contracts in {directory} differ from what the code generates; "
                         "run `python -m casebus.contracts write` and commit the result:")
            lines += [f"  {item}" for item in self.out_of_date]
        return "\n".join(lines)


def _breaking(published: Mapping[str, str], current: Mapping[str, dict[str, Any]]) -> list[str]:
    """Breaking reasons of the current schemas against the published schema files."""
    reasons: list[str] = []
    for rel, text in sorted(published.items()):
        if not rel.startswith(f"{SCHEMAS_DIR}/"):
            continue
        wire_type = rel.removeprefix(f"{SCHEMAS_DIR}/").removesuffix(".json")
        if wire_type not in current:
            continue  # no longer published: reported by check as a file to remove
        try:
            old = json.loads(text)
        except json.JSONDecodeError as error:
            reasons.append(f"{wire_type}: $: the published schema is not valid JSON ({error})")
            continue
        reasons += breaking_changes(wire_type, old, current[wire_type])
    return reasons


def check(directory: Path = DEFAULT_DIR,
          baseline: Mapping[str, str] | None = None) -> CheckReport:
    """Check ``directory`` against the code; compatibility is judged against ``baseline``
    (e.g. the target branch's files, from ``baseline_from_git``) and the checked-in files."""
    report = CheckReport()
    wanted = render_all()
    present = checked_in(directory)
    current = schemas()
    report.breaking += _breaking(present, current)
    if baseline is not None:
        report.breaking += [r for r in _breaking(baseline, current) if r not in report.breaking]
    for rel, text in wanted.items():
        if rel not in present:
            report.out_of_date.append(f"{rel}: missing")
        elif present[rel] != text:
            report.out_of_date.append(f"{rel}: differs")
    for rel in sorted(present.keys() - wanted.keys()):
        report.out_of_date.append(f"{rel}: no longer generated (the event type is not "
                                  "published any more)")
    return report
