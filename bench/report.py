"""The result table (each target beside its figure), the summary line, and the JSON file."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any

from bench import Row
from bench.targets import target_of

HERE = Path(__file__).resolve().parent


def _number(value: float, unit: str) -> str:
    if math.isnan(value):
        return "n/a"
    decimals = {"x": 2, "ms": 1, "%": 1, "MB": 1}.get(unit, 0)  # ratios near a 1.0 target
    return f"{value:,.{decimals}f}"


def figures(rows: list[Row]) -> list[dict[str, Any]]:
    out = []
    for name, setting, values, unit in rows:
        median = statistics.median(values) if values else math.nan
        target = target_of((name, setting, values, unit))
        out.append({"name": name.strip(), "setting": setting, "values": values,
                    "median": median, "unit": unit,
                    "target": f"{target} {unit}" if target else None,
                    "met": (target.met(median) if not math.isnan(median) else False)
                    if target else None})
    return out


def summary(rows: list[Row]) -> str:
    judged = [f for f in figures(rows) if f["met"] is not None]
    return f"{sum(f['met'] for f in judged)} of {len(judged)} targets met"


def table(rows: list[Row], repeats: int) -> str:
    head = f"range of {repeats}"
    lines = [f"{'measurement':<62} {'setting':<22}{'median':>9}  {head:>17}  {'unit':<9}"
             f"{'target':>9}  met", "-" * 141]
    for (name, _, values, unit), f in zip(rows, figures(rows), strict=True):
        low, high = (_number(min(values), unit), _number(max(values), unit)) if values \
            else ("", "")
        spread = f"{low}–{high}" if len(values) > 1 else ""
        target = (f["target"] or "").removesuffix(f" {unit}")
        met = "" if f["met"] is None else ("yes" if f["met"] else "no")
        lines.append(f"{name:<62} {f['setting']:<22}{_number(f['median'], unit):>9}  "
                     f"{spread:>17}  {unit:<9}{target:>9}  {met}")
    return "\n".join(lines)


def write_json(rows: list[Row], quick: bool, about: dict[str, Any]) -> Path:
    path = HERE / ("results-quick.json" if quick else "results.json")
    listed = [{**f, "median": None if math.isnan(f["median"]) else f["median"],
               "values": [None if math.isnan(v) else v for v in f["values"]]}
              for f in figures(rows)]  # JSON has no NaN
    document = {**about, "summary": summary(rows), "figures": listed}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path
