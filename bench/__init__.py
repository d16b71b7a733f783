"""``./dev bench``: every target of issue 10 beside its figure (see README.md)."""

from __future__ import annotations

from dataclasses import dataclass

# One line of the result table: measurement, setting, one value per repeat, unit.
Row = tuple[str, str, list[float], str]


@dataclass(frozen=True)
class Plan:
    repeats: int = 3
    clients: tuple[int, ...] = (16, 64, 256)  # concurrent HTTP clients posting petitions
    petitions: int = 2000                      # per intake run, after each client's first
    rate: float = 50.0                         # petitions/s in the latency phase
    seconds: float = 15.0                      # per latency run
    writers: tuple[int, ...] = (1, 16)         # concurrent event-store writers
    appends: int = 1500                        # per store run, for each store
    growth_cases: tuple[int, int] = (10_000, 100_000)  # concluded cases in history
    history_cases: int = 300  # driven to their conclusion, then copied (bench/growth.py)


QUICK = Plan(repeats=2, petitions=300, seconds=4.0, appends=300, growth_cases=(1_000, 5_000),
             history_cases=50)
