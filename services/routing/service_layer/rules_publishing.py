"""Publishing a district's routing rules: a leader's new version, or at start the documents in
``services/routing/rules/`` whose version is newer than the one published.

Several instances may start at once and race to publish the same file: the loser sees a
concurrent append or "routing-rules-version-newer", which only means the other one did it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

import asyncpg

from casebus.domain.decider import fold
from casebus.domain.errors import DomainRuleViolation
from casebus.domain.events import DomainEvent
from casebus.repository import EventSourcedRepository, Metadata
from casebus.store import ConcurrencyError
from services.routing.adapters.published_rules import PublishedRulesBook, rules_stream_id
from services.routing.domain import rules_publication
from services.routing.domain.commands import PublishRoutingRules
from services.routing.domain.events import RoutingRulesPublished
from services.routing.domain.routing_rules import RoutingRules

log = logging.getLogger(__name__)


class RulesPublishing:
    def __init__(self, repository: EventSourcedRepository, book: PublishedRulesBook) -> None:
        self.repository = repository
        self.book = book

    async def publish(self, command: PublishRoutingRules, metadata: Metadata,
                      conn: asyncpg.Connection | None = None) -> RoutingRulesPublished:
        def decision(history: list[DomainEvent]) -> list[RoutingRulesPublished]:
            state = fold(rules_publication.evolve, rules_publication.initial_state(),
                         [e for e in history if isinstance(e, RoutingRulesPublished)])
            return rules_publication.decide(state, command)

        [event] = await self.repository.execute(rules_stream_id(command.district), decision,
                                                metadata, conn=conn)
        assert isinstance(event, RoutingRulesPublished)
        return event

    async def publish_files(self, documents: Mapping[str, RoutingRules], at: datetime) -> None:
        """Publish each document newer than its district's published version."""
        for district, rules in sorted(documents.items()):
            current = await self.book.current(district)
            if current is not None and current.version >= rules.version:
                log.info("routing rules of %s: version %d already published (file has %d)",
                         district, current.version, rules.version)
                continue
            command = PublishRoutingRules(district=district, at=at,
                                          document=rules.model_dump(mode="json"))
            try:
                await self.publish(command, Metadata.fresh("system:routing"))
            except ConcurrencyError:
                log.info("routing rules of %s published concurrently by another instance",
                         district)
                continue
            except DomainRuleViolation as refused:
                if refused.rule != "routing-rules-version-newer":
                    raise
                log.info("routing rules of %s: %s", district, refused.message)
                continue
            log.info("published routing rules of %s, version %d", district, rules.version)
