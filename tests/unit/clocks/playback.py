"""Run commands through the clock decider as a service would: decide, then store the events."""

from __future__ import annotations

from collections.abc import Iterable

from casebus.domain.clock_decider import ClockDecider
from casebus.domain.clock_events import ClockCommand, ClockEvent
from casebus.domain.clocks import ClockState, evolve, initial_state
from casebus.domain.decider import fold


def play(decider: ClockDecider, commands: Iterable[ClockCommand]) -> list[ClockEvent]:
    events: list[ClockEvent] = []
    for command in commands:
        events += decider.decide(fold(evolve, initial_state(), events), command)
    return events


def state_of(events: Iterable[ClockEvent]) -> ClockState:
    return fold(evolve, initial_state(), events)
