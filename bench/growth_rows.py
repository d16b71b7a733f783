"""What the growth phase reports (bench/growth.py): the figures of each size, the rows of the
table, and whether a past month's rates read the same history at both sizes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench import Row
from bench.growth_reads import DISTRICT_TIME

# A month's rates also read the cases that may still settle in it: a case's window runs to its
# answer's due date, 60 days after its acceptance (casebus/domain/settled_cases.py).
SETTLING_DAYS = 61


@dataclass
class Size:
    cases: int
    memory_mb: dict[str, float] = field(default_factory=dict)  # after the reads
    before_reads_mb: dict[str, float] = field(default_factory=dict)
    read_ms: dict[str, float] = field(default_factory=dict)
    answers: dict[str, bytes] = field(default_factory=dict)  # each read's last body

    @property
    def label(self) -> str:
        if self.cases < 1000:
            return f"{self.cases} cases"
        return f"{self.cases / 1000:,.{0 if self.cases >= 10_000 else 1}f}k cases"


def fills_past_month(whole_copies: int) -> bool:
    """Whether copies 1 to ``whole_copies`` (a week back each) hold every case the previous
    month's rates read: those of that month and of the SETTLING_DAYS before it."""
    today = datetime.now(DISTRICT_TIME).date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return today - timedelta(days=7 * whole_copies) < first - timedelta(days=SETTLING_DAYS)


def compare_past_month(sizes: list[Size], progress: Callable[[str], None]) -> None:
    """A past month holds the same copies at both sizes: the same answer shows the dates moved
    right (and that the read's growth is the service's, not more data's)."""
    for read in (r for r in sizes[0].answers if "previous month" in r):
        same = sizes[0].answers[read] == sizes[-1].answers[read]
        progress(f"growth with history: {read} answered "
                 f"{'the same' if same else 'DIFFERENTLY'} at both sizes")


def rows(sizes: list[Size]) -> list[Row]:
    small, big = sizes
    setting = f"{small.label.split()[0]} -> {big.label}"
    out: list[Row] = []
    for name in small.memory_mb:
        out.append((f"memory growth, {name}", setting,
                    [_growth(small.memory_mb[name], big.memory_mb[name])], "%"))
    for read in small.read_ms:
        # The control has no history behind it: its growth is noise, not held to the target.
        name = "  noise: query time growth" if "(control)" in read else "query time growth"
        out.append((f"{name}, {read}", setting,
                    [_growth(small.read_ms[read], big.read_ms[read])], "%"))
    for size in sizes:
        out += [(f"  memory, {name}", size.label, [size.memory_mb[name]], "MB")
                for name in size.memory_mb]
        out += [(f"  memory before the reads, {name}", size.label, [mb], "MB")
                for name, mb in size.before_reads_mb.items()]
        out += [(f"  query time, {read}", size.label, [ms], "ms")
                for read, ms in size.read_ms.items()]
    return out


def _growth(before: float, after: float) -> float:
    return (after - before) / before * 100
