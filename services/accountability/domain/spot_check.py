"""Random spot checks of a unit's closed cases, drawn by the petition leading group.

The draw is reproducible: the seed is passed in and recorded in the event, and the population is
sorted before sampling, so anyone holding the same seed and the same closed cases draws the same
sample, whatever order the cases came in.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import ClassVar

from pydantic import AwareDatetime

from casebus.domain.case_record import CaseRecord, Scope
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import Command, DomainEvent
from casebus.domain.reporting_period import ReportingPeriod
from casebus.domain.settled_cases import cases_in_scope


class DrawSpotCheck(Command):
    at: AwareDatetime
    district: str
    unit_id: str
    period_start: AwareDatetime
    period_end: AwareDatetime
    sample_size: int
    seed: int  # chosen by the caller, e.g. from a secure source, and kept in the event


class SpotCheckDrawn(DomainEvent):
    type_name: ClassVar[str] = "petition.spot-check.drawn"
    unit_id: str
    period_start: AwareDatetime
    period_end: AwareDatetime
    seed: int
    sample_size: int  # as requested; fewer are chosen when fewer cases closed
    population_count: int
    chosen_case_ids: tuple[str, ...]


def spot_check_sample(population_case_ids: Iterable[str], sample_size: int, seed: int
                      ) -> tuple[str, ...]:
    """The cases a seed chooses from a population: the same for any order of the population."""
    ordered = sorted(set(population_case_ids))
    chosen = random.Random(seed).sample(ordered, min(sample_size, len(ordered)))
    return tuple(sorted(chosen))


def draw_spot_check(command: DrawSpotCheck, records: Iterable[CaseRecord]) -> list[SpotCheckDrawn]:
    """Draw from the unit's cases closed in the period; an empty population is drawn and
    recorded too, as evidence that the check was made."""
    if command.sample_size < 1:
        raise DomainRuleViolation("spot-check-sample-size-positive",
                                  f"sample size {command.sample_size} is below 1")
    if command.period_end <= command.period_start:
        raise DomainRuleViolation("period-ends-after-it-starts", "the period is empty")
    period = ReportingPeriod(command.period_start, command.period_end)
    scope = Scope(district=command.district, unit_id=command.unit_id)
    population = [r.case_id for r in cases_in_scope(records, scope)
                  if period.contains(r.closed_at)]
    return [SpotCheckDrawn(
        district=command.district, occurred_at=command.at, unit_id=command.unit_id,
        period_start=command.period_start, period_end=command.period_end, seed=command.seed,
        sample_size=command.sample_size, population_count=len(population),
        chosen_case_ids=spot_check_sample(population, command.sample_size, command.seed))]


class SpotCheckFindingRecorded(DomainEvent):
    """What the leading group found in one drawn case."""

    type_name: ClassVar[str] = "petition.spot-check.finding-recorded"
    spot_check_id: str
    case_id: str
    compliant: bool
    finding: str


class RecordSpotCheckFinding(Command):
    at: AwareDatetime
    district: str
    spot_check_id: str
    case_id: str
    compliant: bool
    finding: str


def record_finding(drawn: SpotCheckDrawn | None, findings: Iterable[SpotCheckFindingRecorded],
                   command: RecordSpotCheckFinding) -> list[SpotCheckFindingRecorded]:
    """One finding per drawn case, only for cases the seed drew."""
    if drawn is None or drawn.district != command.district:
        raise DomainRuleViolation("finding-needs-a-spot-check",
                                  f"no spot check {command.spot_check_id}")
    if command.case_id not in drawn.chosen_case_ids:
        raise DomainRuleViolation("finding-only-for-a-drawn-case",
                                  f"case {command.case_id} was not drawn in this spot check")
    if any(f.case_id == command.case_id for f in findings):
        raise DomainRuleViolation("finding-recorded-once",
                                  f"a finding for case {command.case_id} is already recorded")
    return [SpotCheckFindingRecorded(
        district=command.district, occurred_at=command.at, spot_check_id=command.spot_check_id,
        case_id=command.case_id, compliant=command.compliant, finding=command.finding)]
