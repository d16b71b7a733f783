"""Progress of long work: a rich bar on a terminal; on a redirected log, one summary line per
``step_percent`` (a bar would flood the file with redraws)."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)


class Meter:
    def __init__(self, console: Console, label: str, total: int, step_percent: int = 10) -> None:
        self.console, self.label, self.total = console, label, total
        self.done, self.step, self.next_report = 0, step_percent, step_percent
        self.started = time.monotonic()
        self.bar: Progress | None = None
        if console.is_terminal:
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TaskProgressColumn(),
                                TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                console=console)
            self.task = self.bar.add_task(label, total=total, rate="")

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-6)

    def advance(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(self.task, advance=n, rate=f"{self.rate:,.0f} events/s")
            return
        while self.total and self.done * 100 >= self.next_report * self.total \
                and self.next_report <= 100:
            self.console.print(f"{self.label}: {self.next_report}% ({self.done} events, "
                               f"{self.rate:,.0f} events/s)", highlight=False)
            self.next_report += self.step

    def __enter__(self) -> Meter:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.stop()
