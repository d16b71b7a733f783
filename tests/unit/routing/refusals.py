"""Asserting that a command is refused by a named rule and that nothing changes."""

from __future__ import annotations

import pytest

from casebus.domain.errors import DomainRuleViolation
from services.routing.domain.assignment import AssignmentState, decide
from services.routing.domain.commands import CaseCommand

from .builders import CALENDAR, POLICY


def assert_refused(state: AssignmentState, command: CaseCommand, rule: str) -> None:
    before = state
    with pytest.raises(DomainRuleViolation) as caught:
        decide(state, command, CALENDAR, POLICY)
    assert caught.value.rule == rule, caught.value.message
    assert state == before  # the state is a frozen value: a refusal leaves it as it was
