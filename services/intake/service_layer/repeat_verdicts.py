"""The clerk's verdict on a repeat suggestion. Confirming also merges the petition into the
case it repeats when that case is still open and no unit has accepted this one (the merged
petition is then handled with it); otherwise the repeat is recorded and handled on its own."""

from __future__ import annotations

from functools import partial

import asyncpg

from casebus.domain.errors import DomainRuleViolation
from casebus.repository import Metadata
from services.intake.domain.commands import ConfirmRepeat, MergeAsRepeat
from services.intake.domain.merging import check_merge_target
from services.intake.service_layer.cases import CaseHandling, Decided, Visibility


class RepeatVerdicts:
    def __init__(self, cases: CaseHandling) -> None:
        self.cases = cases

    async def confirm(self, conn: asyncpg.Connection, *, case_id: str, district: str,
                      clerk_id: str, metadata: Metadata,
                      visible: Visibility) -> tuple[Decided, str | None]:
        """Confirm, then merge if possible. Returns what was recorded and, when the petition
        was not merged, the rule that kept it apart."""
        confirmed = await self.cases.run(
            conn, case_id=case_id, district=district, metadata=metadata, visible=visible,
            make=partial(ConfirmRepeat, clerk_id=clerk_id))
        petition = confirmed.state
        target_id = petition.repeat_of
        assert target_id is not None  # a confirmed repeat names its case
        try:
            check_merge_target(petition, await self.cases.state(conn, target_id))
            merge = MergeAsRepeat(case_id=case_id, district=district,
                                  at=confirmed.events[-1].occurred_at, into_case_id=target_id,
                                  clerk_id=clerk_id)
            merged = await self.cases.decide(conn, merge, metadata)
        except DomainRuleViolation as kept_apart:
            # Not a failure: the repeat is confirmed and the case goes on by itself.
            return confirmed, kept_apart.rule
        return confirmed.then(merged), None
