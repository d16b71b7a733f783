"""Progress of a phase: a tqdm bar on a terminal; on a redirected log one line at the start,
every 25 % and at the end (a bar's redraws would flood the file)."""

from __future__ import annotations

import sys
import time
from types import TracebackType

from tqdm import tqdm

ON_TERMINAL = sys.stdout.isatty()


def say(text: str) -> None:
    """One line, printed without breaking a bar that is showing."""
    if ON_TERMINAL:
        tqdm.write(text)
    else:
        print(text, flush=True)


class Phase:
    def __init__(self, label: str, total: int, unit: str) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.done, self.next_quarter = 0, 1
        self.started = time.perf_counter()
        self.bar: tqdm[None] | None = None

    def __enter__(self) -> Phase:
        if ON_TERMINAL:
            self.bar = tqdm(total=self.total, desc=self.label, unit=self.unit)
        else:
            say(f"{self.label}: started ({self.total:,} {self.unit}s)")
        return self

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        while self.next_quarter < 4 and self.done * 4 >= self.next_quarter * self.total:
            say(f"{self.label}: {self.next_quarter * 25} % ({self.done:,} {self.unit}s, "
                f"{time.perf_counter() - self.started:.0f} s)")
            self.next_quarter += 1

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.close()
        elif kind is None:
            say(f"{self.label}: done in {time.perf_counter() - self.started:.0f} s")
