"""``./dev bench``: throughput, end-to-end latency and event-store appends (see README.md)."""

from __future__ import annotations

from dataclasses import dataclass

# One line of the result table: measurement, setting, one value per repeat, unit.
Row = tuple[str, str, list[float], str]


@dataclass(frozen=True)
class Plan:
    repeats: int = 3
    clients: tuple[int, ...] = (16, 64)  # concurrent HTTP clients posting petitions
    petitions: int = 400                 # per intake run
    rate: float = 20.0                   # petitions/s in the latency phase
    seconds: float = 15.0                # per latency run
    poll_ms: float = 10.0                # how often each outstanding case is polled
    writers: tuple[int, ...] = (1, 16)   # concurrent event-store writers
    appends: int = 1500                  # per store run, for each store


QUICK = Plan(petitions=100, seconds=4.0, appends=300)
