"""CPU seconds (user + system) per group of processes, read with psutil."""

from __future__ import annotations

import contextlib

import psutil


class CpuMeter:
    """User + system CPU seconds per group of processes. For groups in ``with_children`` the
    children count too, those that already ended included (a PostgreSQL server's backends)."""

    def __init__(self, groups: dict[str, list[int]], with_children: set[str]) -> None:
        self.groups = {name: [psutil.Process(pid) for pid in pids]
                       for name, pids in groups.items()}
        self.with_children = with_children

    def read(self) -> dict[str, float]:
        totals = {}
        for name, roots in self.groups.items():
            seconds = 0.0
            for root in roots:
                own = root.cpu_times()
                seconds += own.user + own.system
                if name not in self.with_children:
                    continue
                seconds += own.children_user + own.children_system  # ended children
                for child in root.children(recursive=True):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        times = child.cpu_times()
                        seconds += times.user + times.system
            totals[name] = seconds
        return totals
