"""The rates leaders are judged by: every definition, in one place.

Each rate counts the cases of one scope (district, street, community or unit) whose outcome was
settled in the period (see ``settled_cases``). An empty denominator is "not applicable": the
value is ``None``, never 0 or 100%. Values are exact fractions, so comparing with a threshold
never suffers float rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.evaluation import Evaluator, Satisfaction
from casebus.domain.measured_rate import Rate, RateKind, count_cohort, measure_cohort
from casebus.domain.reporting_period import ReportingPeriod
from casebus.domain.settled_cases import (
    answered,
    cases_in_scope,
    closed_after_answer,
    deadline_settled,
    met_deadline,
    registered,
)

DEFAULT_BASICALLY_SATISFIED_WEIGHT = Fraction(9, 10)
Records = Iterable[CaseRecord]
_COUNTED, _NOT_COUNTED = Fraction(1), Fraction(0)


def timely_acceptance(records: Records, period: ReportingPeriod, scope: Scope) -> Rate:
    """Timely acceptance rate (Art. 23).

    Denominator: cases with an acceptance deadline whose acceptance was settled in the period:
    accepted by the deadline within the period, or whose deadline fell in the period unmet.
    Numerator: those accepted at or before the deadline.
    """
    cohort = deadline_settled(cases_in_scope(records, scope), period,
                              lambda r: (r.accepted_at, r.acceptance_due))
    return count_cohort(RateKind.TIMELY_ACCEPTANCE, cohort,
                        lambda r: met_deadline(r.accepted_at, r.acceptance_due))


def on_time_answer(records: Records, period: ReportingPeriod, scope: Scope) -> Rate:
    """On-time answer rate (Art. 34).

    Denominator: accepted cases (answer deadline after any extension) whose answer was settled
    in the period: answered by the deadline within the period, or whose deadline fell in the
    period unmet. Numerator: those answered at or before the deadline.
    """
    cohort = deadline_settled(cases_in_scope(records, scope), period,
                              lambda r: (r.answered_at, r.answer_due))
    return count_cohort(RateKind.ON_TIME_ANSWER, cohort,
                        lambda r: met_deadline(r.answered_at, r.answer_due))


def first_visit_resolution(records: Records, period: ReportingPeriod, scope: Scope) -> Rate:
    """First-visit resolution rate.

    Denominator: cases answered in the period.
    Numerator: those that are not a repeat petition, were not escalated, and drew no request
    for review or re-examination.
    """
    return count_cohort(RateKind.FIRST_VISIT_RESOLUTION,
                        answered(cases_in_scope(records, scope), period),
                        lambda r: not (r.is_repeat or r.escalated or r.review_requested
                                       or r.reexamination_requested))


def repeat(records: Records, period: ReportingPeriod, scope: Scope) -> Rate:
    """Repeat petition rate. Denominator: cases registered in the period. Numerator: repeats."""
    return count_cohort(RateKind.REPEAT, registered(cases_in_scope(records, scope), period),
                        lambda r: r.is_repeat)


def collective(records: Records, period: ReportingPeriod, scope: Scope) -> Rate:
    """Collective petition rate. Denominator: cases registered in the period.
    Numerator: collective petitions (5 or more people on one matter)."""
    return count_cohort(RateKind.COLLECTIVE, registered(cases_in_scope(records, scope), period),
                        lambda r: r.is_collective)


def skip_level(records: Records, period: ReportingPeriod, scope: Scope) -> Rate:
    """Skip-level petition rate. Denominator: cases registered in the period.
    Numerator: petitions brought to a level above the one responsible."""
    return count_cohort(RateKind.SKIP_LEVEL, registered(cases_in_scope(records, scope), period),
                        lambda r: r.is_skip_level)


def evaluation_participation(records: Records, period: ReportingPeriod, scope: Scope) -> Rate:
    """Satisfaction participation rate.

    Denominator: answered cases closed in the period (evaluation is settled at closing).
    Numerator: those the petitioner evaluated (the office, the unit, or both).
    """
    return count_cohort(
        RateKind.EVALUATION_PARTICIPATION,
        closed_after_answer(cases_in_scope(records, scope), period),
        lambda r: r.office_evaluation is not None or r.unit_evaluation is not None)


def satisfaction(
    records: Records,
    period: ReportingPeriod,
    scope: Scope,
    evaluator: Evaluator = Evaluator.RESPONSIBLE_UNIT,
    basically_satisfied_weight: Fraction = DEFAULT_BASICALLY_SATISFIED_WEIGHT,
) -> Rate:
    """Satisfaction rate with the unit's (or the petition office's) handling.

    Denominator: answered cases closed in the period that the petitioner evaluated for it.
    Numerator: satisfied x 1 + basically satisfied x weight (default 0.9) + not satisfied x 0.
    """
    if not 0 <= basically_satisfied_weight <= 1:
        raise ValueError("the weight of 'basically satisfied' must lie in 0..1")
    worth = {Satisfaction.SATISFIED: _COUNTED, Satisfaction.NOT_SATISFIED: _NOT_COUNTED,
             Satisfaction.BASICALLY_SATISFIED: basically_satisfied_weight}

    def worth_of(r: CaseRecord) -> Fraction:
        evaluation = r.evaluation_by(evaluator)
        return _NOT_COUNTED if evaluation is None else worth[evaluation]

    evaluated = [r for r in closed_after_answer(cases_in_scope(records, scope), period)
                 if r.evaluation_by(evaluator) is not None]
    kind = {Evaluator.RESPONSIBLE_UNIT: RateKind.UNIT_SATISFACTION,
            Evaluator.PETITION_OFFICE: RateKind.OFFICE_SATISFACTION}[evaluator]
    return measure_cohort(kind, evaluated, worth_of)


def measure(
    kind: RateKind,
    records: Records,
    period: ReportingPeriod,
    scope: Scope,
    basically_satisfied_weight: Fraction = DEFAULT_BASICALLY_SATISFIED_WEIGHT,
) -> Rate:
    """Any rate by its kind, for letters and rankings that name rates in configuration."""
    if kind is RateKind.UNIT_SATISFACTION:
        return satisfaction(records, period, scope, Evaluator.RESPONSIBLE_UNIT,
                            basically_satisfied_weight)
    if kind is RateKind.OFFICE_SATISFACTION:
        return satisfaction(records, period, scope, Evaluator.PETITION_OFFICE,
                            basically_satisfied_weight)
    return _BY_KIND[kind](records, period, scope)


def measure_all(
    records: Records,
    period: ReportingPeriod,
    scope: Scope,
    basically_satisfied_weight: Fraction = DEFAULT_BASICALLY_SATISFIED_WEIGHT,
) -> dict[RateKind, Rate]:
    """Every rate of one scope, its cases chosen once for all of them."""
    cases = cases_in_scope(records, scope)
    return {kind: measure(kind, cases, period, scope, basically_satisfied_weight)
            for kind in RateKind}


_BY_KIND: dict[RateKind, Callable[[Records, ReportingPeriod, Scope], Rate]] = {
    RateKind.TIMELY_ACCEPTANCE: timely_acceptance,
    RateKind.ON_TIME_ANSWER: on_time_answer,
    RateKind.FIRST_VISIT_RESOLUTION: first_visit_resolution,
    RateKind.REPEAT: repeat,
    RateKind.COLLECTIVE: collective,
    RateKind.SKIP_LEVEL: skip_level,
    RateKind.EVALUATION_PARTICIPATION: evaluation_participation,
}
