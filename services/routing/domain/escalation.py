"""Escalation: when a case goes one level up (community -> street -> district), and doing it.

``should_escalate`` explains itself; ``escalate`` is the decider step for ``EscalateCase``. The
conditions are the district's (``RoutingRules.escalation``): returned N times, collective
petition, key period, key person, overdue. Nothing goes above the district.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from casebus.domain.errors import DomainRuleViolation
from casebus.domain.levels import Level, level_above
from services.routing.domain.assignment_state import AssignmentState
from services.routing.domain.commands import EscalateCase
from services.routing.domain.events import CaseEscalated, CaseEvent
from services.routing.domain.handover import DistrictSettings, handover_clocks
from services.routing.domain.rule_document import EscalationConditions
from services.routing.domain.rules import CaseFacts


@dataclass(frozen=True)
class EscalationHistory:
    """What the case's assignment so far says about escalating it."""

    times_returned: int = 0
    overdue: bool = False

    @classmethod
    def of(cls, state: AssignmentState, at: datetime) -> EscalationHistory:
        return cls(times_returned=state.times_returned, overdue=state.is_overdue(at))


class EscalationDecision(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    escalate: bool
    from_level: Level
    to_level: Level | None  # None when nothing is escalated
    reasons: list[str]  # the conditions met
    explanation: str


def should_escalate(facts: CaseFacts, history: EscalationHistory,
                    conditions: EscalationConditions | None = None) -> EscalationDecision:
    c = conditions or EscalationConditions()
    checks = [
        (history.times_returned >= c.after_returns, True,
         f"returned {history.times_returned} time(s) (escalates after {c.after_returns})"),
        (facts.collective, c.collective, "collective petition"),
        (facts.key_period, c.key_period, "key period"),
        (facts.key_person, c.key_person, "key person involved"),
        (history.overdue, c.overdue, "overdue"),
    ]
    reasons = [text for fact, enabled, text in checks if fact and enabled]
    ignored = [text for fact, enabled, text in checks if fact and not enabled]
    note = f"; not escalated on in this district: {', '.join(ignored)}" if ignored else ""
    above = level_above(facts.level)
    if not reasons:
        return EscalationDecision(
            escalate=False, from_level=facts.level, to_level=None, reasons=[],
            explanation=(f"stays at {facts.level}: no escalation condition met (returned "
                         f"{history.times_returned} of {c.after_returns} times){note}"))
    if above is None:
        return EscalationDecision(
            escalate=False, from_level=facts.level, to_level=None, reasons=reasons,
            explanation=(f"stays at {facts.level}, the highest level, although conditions are "
                         f"met: {', '.join(reasons)}{note}"))
    return EscalationDecision(
        escalate=True, from_level=facts.level, to_level=above, reasons=reasons,
        explanation=f"escalate from {facts.level} to {above}: {', '.join(reasons)}{note}")


def escalate(state: AssignmentState, cmd: EscalateCase, settings: DistrictSettings
             ) -> list[CaseEvent]:
    to_level = level_above(state.level)
    if to_level is None:
        raise DomainRuleViolation(
            "no-escalation-above-district",
            f"case {cmd.case_id} is at the district, the highest level that handles petitions")
    if cmd.unit_level is not None and cmd.unit_level is not to_level:
        raise DomainRuleViolation(
            "escalate-to-unit-at-level-above",
            f"case {cmd.case_id} is handled at the {state.level} level and escalates to the "
            f"{to_level} level; unit {cmd.unit_id} is at the {cmd.unit_level} level")
    clocks = handover_clocks(cmd.at, state.category, settings)
    return [CaseEscalated(
        district=cmd.district, occurred_at=cmd.at, case_id=cmd.case_id,
        from_level=state.level, to_level=to_level, from_unit_id=state.unit_id,
        unit_id=cmd.unit_id, reason=cmd.reason, acceptance_due=clocks.acceptance_due,
        return_deadline=clocks.return_deadline)]
