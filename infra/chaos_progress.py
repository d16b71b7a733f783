"""Progress for a long chaos run: tqdm bars on a terminal; on a redirected log, one plain line
per tenth instead of a bar redrawn many times a second."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


class Progress:
    def __init__(self, total: int, what: str, live: bool | None = None) -> None:
        self.total, self.what, self.done, self._tenth = total, what, 0, 0
        self.live = sys.stderr.isatty() if live is None else live
        self._bar: tqdm[Any] | None = (tqdm(total=total, desc=what, unit="case", leave=True,
                                            dynamic_ncols=True) if self.live else None)

    def advance(self, by: int = 1) -> None:
        self.set(self.done + by)

    def set(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self.done)
        self.done = done
        tenth = done * 10 // max(self.total, 1)
        if self._bar is None and tenth > self._tenth:
            self._tenth = tenth
            print(f"  {self.what}: {done}/{self.total}", flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def note(line: str) -> None:
    """A line between (not through) the bars."""
    tqdm.write(line, file=sys.stdout)
    sys.stdout.flush()
