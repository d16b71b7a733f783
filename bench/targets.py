"""Issue 10's targets, each matched to the rows that measure it. A target is met when the
row's median (over the repeats of one run) is on the right side of it."""

from __future__ import annotations

from dataclasses import dataclass

from bench import Row


@dataclass(frozen=True)
class Target:
    at_least: bool  # True: the figure must be >= value; False: <= value
    value: float

    def met(self, figure: float) -> bool:
        return figure >= self.value if self.at_least else figure <= self.value

    def __str__(self) -> str:
        shown = f"{self.value:,.0f}" if self.value >= 100 else f"{self.value:g}"
        return f"{'>=' if self.at_least else '<='} {shown}"


@dataclass(frozen=True)
class Rule:
    name_starts: str
    target: Target
    setting_starts: str = ""  # "" matches every setting
    unit: str = ""            # "" matches every unit

    def matches(self, row: Row) -> bool:
        name, setting, _, unit = row
        return (name.strip().startswith(self.name_starts)
                and setting.startswith(self.setting_starts) and unit.startswith(self.unit))


RULES = [
    Rule("CPU per petition, all processes", Target(False, 4.0)),
    Rule("intake petitions/s accepted", Target(True, 1000), setting_starts="64 clients"),
    Rule("intake petitions/s, most clients / fewest", Target(True, 1.0),
         setting_starts="256 / 16"),
    Rule("same burst, until all routed", Target(True, 500)),
    Rule("201 -> routed in reporting, p99", Target(False, 250)),
    Rule("p50 spread between runs", Target(False, 2.0)),
    Rule("p99 spread between runs", Target(False, 2.0)),
    Rule("ratio ours/theirs", Target(True, 6.0), setting_starts="16 writers"),
    Rule("rebuild reporting's read models", Target(True, 50_000)),
    # Growth with history (bench/growth.py): a rise above 10 % fails, a fall is fine.
    Rule("memory growth", Target(False, 10.0), unit="%"),
    Rule("query time growth", Target(False, 10.0), unit="%"),
]


def target_of(row: Row) -> Target | None:
    return next((rule.target for rule in RULES if rule.matches(row)), None)
