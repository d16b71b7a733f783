"""The decider pattern every aggregate follows.

An aggregate is three pure functions:
- ``initial_state()``: the state of a stream with no events;
- ``evolve(state, event) -> state``: apply one event (never fails for a stored event);
- ``decide(state, command) -> list[event]``: accept a command (returning the new facts) or raise
  ``DomainRuleViolation``. It never mutates state.

``fold`` rebuilds a state from events: the state of a case is only ever derived from its events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce
from typing import TypeVar

S = TypeVar("S")
E = TypeVar("E")


def fold(evolve: Callable[[S, E], S], initial: S, events: Iterable[E]) -> S:
    return reduce(evolve, events, initial)
