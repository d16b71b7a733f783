"""The district's current routing rules, read from the event store (stream
``routing-rules:<district>``), so every instance of the service decides with the same document.

A cached document is checked against the stream's version on every use (one indexed query; once
per consumer transaction) and reloaded when another instance, or a leader's request, published a
newer one.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from casebus.domain.decider import fold
from casebus.repository import EventSourcedRepository
from casebus.transaction_memo import remember, remembered
from services.routing.domain import rules_publication
from services.routing.domain.events import RoutingRulesPublished
from services.routing.domain.routing_rules import RoutingRules


def rules_stream_id(district: str) -> str:
    return f"routing-rules:{district}"


@dataclass(frozen=True)
class _Cached:
    stream_version: int
    rules: RoutingRules | None


class PublishedRulesBook:
    def __init__(self, repository: EventSourcedRepository) -> None:
        self.repository = repository
        self._cache: dict[str, _Cached] = {}

    async def current(self, district: str,
                      conn: asyncpg.Connection | None = None) -> RoutingRules | None:
        """The newest published document of ``district``; None if it has never published one."""
        stream = rules_stream_id(district)
        version = remembered(("rules-version", district))
        if version is None:  # asked once per consumer transaction (casebus.transaction_memo)
            version = await (conn or self.repository.store.pool).fetchval(
                "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1", stream)
            remember(("rules-version", district), version)
        cached = self._cache.get(district)
        if cached is not None and cached.stream_version == version:
            return cached.rules
        history = await self.repository.load(stream, conn)
        state = fold(rules_publication.evolve, rules_publication.initial_state(),
                     [e for e in history if isinstance(e, RoutingRulesPublished)])
        self._cache[district] = _Cached(len(history), state.current)
        return state.current
