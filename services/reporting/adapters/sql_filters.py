"""Filters built from optional query parameters, always as numbered parameters (never text
pasted into SQL), and the predicate every backlog list shares."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from casebus.domain.deadlines import CHINA_TZ
from services.reporting.domain.stages import REPORT

# Open: not concluded (by intake's stage), and not a report (reports go to the discipline
# inspection body and are not counted like ordinary petitions). ``c`` is a case_view row.
OPEN_CASE = f"c.concluded_at IS NULL AND c.matter_kind IS DISTINCT FROM '{REPORT}'"

_OFFSET = CHINA_TZ.utcoffset(None) or timedelta(0)
_LOCAL = f"interval '{int(_OFFSET.total_seconds())} seconds'"


def local_date_sql(instant: str) -> str:
    """The local calendar date of a timestamptz expression (as ``aging.age_in_days`` counts)."""
    return f"(({instant} AT TIME ZONE 'UTC') + {_LOCAL})::date"


class Filters:
    """``WHERE`` conditions and their arguments; ``$1``... in the order they were added."""

    def __init__(self, *args: Any) -> None:
        self.args: list[Any] = list(args)
        self.conditions: list[str] = []

    def param(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"

    def add(self, condition: str) -> None:
        self.conditions.append(condition)

    def equal(self, expression: str, value: Any | None) -> None:
        """``expression = value``, only when the caller asked (``value`` not None)."""
        if value is not None:
            self.add(f"{expression} = {self.param(value)}")

    def one_of(self, expression: str, values: list[str]) -> None:
        self.add(f"{expression} = ANY({self.param(values)}::text[])")

    @property
    def sql(self) -> str:
        return " AND ".join(self.conditions) or "true"
