"""A measured rate: its fraction and the cases behind it. The definitions live in ``rates``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

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


def count_cohort(kind: RateKind, cohort: list[CaseRecord],
                 counts: Callable[[CaseRecord], bool]) -> Rate:
    """A rate that counts a case or not: the numerator is how many of the cohort count. The
    cohort is in case-id order (every cohort is a filter of ``cases_in_scope``), and no
    Fraction is made per case (a month of a district is ~20,000 cases)."""
    counted = tuple(r.case_id for r in cohort if counts(r))
    return Rate(kind=kind, numerator=Fraction(len(counted)), denominator=len(cohort),
                numerator_case_ids=counted,
                denominator_case_ids=tuple(r.case_id for r in cohort))


def measure_cohort(
    kind: RateKind, cohort: Iterable[CaseRecord], worth: Callable[[CaseRecord], Fraction]
) -> Rate:
    """Sum each case's worth (0..1) over the cohort; cases worth more than 0 are the numerator's.
    The sum is taken once per distinct worth (a cohort has two or three), not once per case:
    Fraction arithmetic is slow Python."""
    scored = sorted((r.case_id, w.numerator, w.denominator) for r in cohort for w in (worth(r),))
    tally = Counter((n, d) for _, n, d in scored)
    return Rate(
        kind=kind,
        numerator=sum((Fraction(n, d) * times for (n, d), times in tally.items()), Fraction(0)),
        denominator=len(scored),
        numerator_case_ids=tuple(c for c, n, _ in scored if n > 0),
        denominator_case_ids=tuple(c for c, _, _ in scored),
        partly_counted_case_ids=tuple(c for c, n, d in scored if 0 < n < d),
    )
