"""The injectable clock. Production reads the system time; a simulated clock lets a year of
petitions run in minutes through the same code path (demos, what-if replays, tests)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SimulatedClock:
    """Starts at ``start`` and moves only when told to (one process: unit tests, replays)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs an aware start time")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta) -> datetime:
        self._now += by
        return self._now


class SharedSimulatedClock:
    """System time plus an offset kept in a file, so every service process of the embedded
    system sees the same simulated time and a test (or ``./dev clock``) moves them all at
    once. Time still flows between jumps, so events keep their order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int, int] | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset()

    def offset(self) -> timedelta:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return timedelta(0)
        # Each write replaces the file (a new inode), so the inode alone tells a change.
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:  # re-read only when the file changed
            self._offset = timedelta(seconds=json.loads(self.path.read_text())["offset_seconds"])
            self._stamp = stamp
        return self._offset

    @classmethod
    def starting_at(cls, path: Path, moment: datetime) -> SharedSimulatedClock:
        """A new simulated time line that reads ``moment`` now (before any service runs on it:
        afterwards the clock only goes forward)."""
        clock = cls(path)
        clock._write(moment - datetime.now(UTC))
        return clock

    def advance(self, by: timedelta) -> datetime:
        if by < timedelta(0):
            raise ValueError("the simulated clock never goes back")
        offset = self.offset() + by
        self._write(offset)
        return datetime.now(UTC) + offset

    def _write(self, offset: timedelta) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"offset_seconds": offset.total_seconds()}))
        os.replace(tmp, self.path)  # atomic: a reader sees the old or the new offset


def clock_from(simulated_clock_file: str) -> Clock:
    """The clock a service runs on: simulated when a clock file is configured."""
    if simulated_clock_file:
        return SharedSimulatedClock(Path(simulated_clock_file))
    return SystemClock()
