"""A measured rate: its fraction and the cases behind it. The definitions live in ``rates``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from operator import itemgetter

from casebus.domain.case_record import CaseRecord


class RateKind(StrEnum):
    TIMELY_ACCEPTANCE = "timely-acceptance"
    ON_TIME_ANSWER = "on-time-answer"
    FIRST_VISIT_RESOLUTION = "first-visit-resolution"
    REPEAT = "repeat"
    COLLECTIVE = "collective"
    SKIP_LEVEL = "skip-level"
    EVALUATION_PARTICIPATION = "evaluation-participation"
    UNIT_SATISFACTION = "unit-satisfaction"
    OFFICE_SATISFACTION = "office-satisfaction"


@dataclass(frozen=True)
class Rate:
    """A measured rate and the cases behind it (they become a breach's evidence).

    ``numerator`` is a count, except for satisfaction where "basically satisfied" is weighted.
    An empty denominator makes the rate "not applicable": ``value`` is ``None``, never 0 or 1.
    Case ids are sorted, so equal inputs give equal rates.
    """

    kind: RateKind
    numerator: Fraction
    denominator: int
    numerator_case_ids: tuple[str, ...]  # counted at all (worth above 0)
    denominator_case_ids: tuple[str, ...]
    partly_counted_case_ids: tuple[str, ...] = ()  # worth between 0 and 1: basically satisfied

    @property
    def value(self) -> Fraction | None:
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def percent(self) -> Fraction | None:
        value = self.value
        return None if value is None else value * 100

    @property
    def missing_case_ids(self) -> tuple[str, ...]:
        """Cases in the denominator that did not count: late, unevaluated, not satisfied..."""
        counted = set(self.numerator_case_ids)
        return tuple(c for c in self.denominator_case_ids if c not in counted)

    @property
    def shortfall_case_ids(self) -> tuple[str, ...]:
        """Every case that kept the rate below 100%: missing or only partly counted."""
        return tuple(sorted(self.missing_case_ids + self.partly_counted_case_ids))


def exact(number: Fraction | Decimal | int | float | str) -> Fraction:
    """A configured number as an exact fraction; ``0.35`` means 35/100, not its binary float."""
    return Fraction(str(number)) if isinstance(number, float) else Fraction(number)


def measure_cohort(
    kind: RateKind, cohort: Iterable[CaseRecord], worth: Callable[[CaseRecord], Fraction]
) -> Rate:
    """Sum each case's worth (0..1) over the cohort; cases worth more than 0 are the numerator's.
    Fraction arithmetic is slow Python and a month of a district is ~20,000 cases, so each
    distinct worth object (a cohort has two or three: the rates share their constants) is
    summed and compared once, and the cases are only looked up by it."""
    scored = sorted(((r.case_id, worth(r)) for r in cohort), key=itemgetter(0))
    tally = Counter(id(w) for _, w in scored)
    worths = {id(w): w for _, w in scored}  # the objects stay alive in ``scored`` meanwhile
    counted = {key: w > 0 for key, w in worths.items()}
    partly = {key: 0 < w < 1 for key, w in worths.items()}
    return Rate(
        kind=kind,
        numerator=sum((worths[key] * times for key, times in tally.items()), Fraction(0)),
        denominator=len(scored),
        numerator_case_ids=tuple(c for c, w in scored if counted[id(w)]),
        denominator_case_ids=tuple(c for c, _ in scored),
        partly_counted_case_ids=(tuple(c for c, w in scored if partly[id(w)])
                                 if any(partly.values()) else ()),
    )
