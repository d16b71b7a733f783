"""Cases entering the key-case ledger from the events, on a real database, each once: a
leader's flag, a matter petitioned three times (confirmed repeats and merges, repeated
deliveries counted once), and the age sweep on a simulated clock (closed or ended cases left
out, a district's own threshold)."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from casebus.clock import SimulatedClock
from tests.integration.accountability.conftest import MARCH_END
from tests.integration.accountability.facts import apply_again, deliver, fact
from tests.integration.accountability.ledger_parts import (
    ledger_parts,
    ledger_streams,
    registered,
)

DAY = timedelta(days=1)


async def entry_of(pool: asyncpg.Pool, case_id: str) -> dict[str, object] | None:
    row = await pool.fetchrow(
        """SELECT e.data FROM events e WHERE e.stream_id = 'key-case/chaoyang/' || $1
           AND e.type = 'petition.key-case.entered.v1'""", case_id)
    return None if row is None else dict(row["data"])


async def test_a_leaders_flag_enters_the_case_once(pool: asyncpg.Pool) -> None:
    parts = await ledger_parts(pool, SimulatedClock(MARCH_END))
    flag = fact("flagged-as-key", "gas-1", MARCH_END, flagged_by="leader-zhao",
                reason="owners petitioned for ten years")
    # The flag may come before intake's registration (another topic): it enters anyway.
    await deliver(pool, parts.handlers, flag, registered("gas-1", MARCH_END - DAY),
                  fact("flagged-as-key", "gas-1", MARCH_END, flagged_by="leader-li",
                       reason="again"))
    await apply_again(pool, parts.handlers, flag)
    assert await ledger_streams(pool) == {"key-case/chaoyang/gas-1": ["entered"]}
    assert await entry_of(pool, "gas-1") == {
        "case_id": "gas-1", "district": "chaoyang", "occurred_at": MARCH_END.isoformat(),
        "reason": "flagged-by-leader", "evidence": "owners petitioned for ten years",
        "flagged_by": "leader-zhao"}


async def test_a_matter_petitioned_three_times_enters_its_first_case(pool: asyncpg.Pool) -> None:
    parts = await ledger_parts(pool, SimulatedClock(MARCH_END))
    at = MARCH_END - 10 * DAY
    first = fact("repeat-confirmed", "gas-2", at, repeat_of="gas-1", clerk_id="clerk-wang")
    await deliver(pool, parts.handlers, *(registered(c, at) for c in ("gas-1", "gas-2",
                                                                              "gas-3", "gas-4")),
                  first)
    await apply_again(pool, parts.handlers, first)  # the same repeat twice counts once
    assert await ledger_streams(pool) == {}
    await deliver(pool, parts.handlers,
                  fact("merged", "gas-3", at + DAY, into_case_id="gas-1"),
                  fact("repeat-confirmed", "gas-4", at + DAY, repeat_of="gas-1",
                       clerk_id="clerk-wang"))
    assert await ledger_streams(pool) == {"key-case/chaoyang/gas-1": ["entered"]}
    entry = await entry_of(pool, "gas-1")
    assert entry is not None and entry["reason"] == "petitioned-many-times"
    assert entry["evidence"] == "petitioned 3 times: cases gas-1, gas-2, gas-3"


async def test_an_unmerge_takes_the_petition_back(pool: asyncpg.Pool) -> None:
    parts = await ledger_parts(pool, SimulatedClock(MARCH_END))
    at = MARCH_END - 10 * DAY
    await deliver(pool, parts.handlers,
                  fact("merged", "gas-3", at, into_case_id="gas-1"),
                  fact("unmerged", "gas-3", at, from_case_id="gas-1", clerk_id="clerk-wang"),
                  fact("repeat-confirmed", "gas-2", at, repeat_of="gas-1", clerk_id="c"))
    assert await ledger_streams(pool) == {}


async def test_the_sweep_enters_cases_open_too_long_once(pool: asyncpg.Pool) -> None:
    clock = SimulatedClock(MARCH_END)
    parts = await ledger_parts(pool, clock, open_days={"haidian": 30})
    old = MARCH_END - 100 * DAY
    await deliver(pool, parts.handlers,
                  registered("old-open", old), registered("recent", MARCH_END - 10 * DAY),
                  registered("old-closed", old), fact("closed", "old-closed", old + DAY),
                  registered("old-withdrawn", old),
                  fact("withdrawn", "old-withdrawn", old + DAY),
                  registered("old-flagged", old),
                  fact("flagged-as-key", "old-flagged", old, flagged_by="zhao", reason="heavy"),
                  registered("haidian-40", MARCH_END - 40 * DAY, "haidian"))
    assert sorted(await parts.sweep.sweep_once()) == ["haidian-40", "old-open"]
    assert await parts.sweep.sweep_once() == []
    entry = await entry_of(pool, "old-open")
    assert entry is not None and entry["reason"] == "open-long"
    assert str(entry["evidence"]).startswith("open more than 90 days: registered 2025-12-15")
    clock.advance(80 * DAY + timedelta(seconds=1))  # "recent" is now open 90 days and a second
    assert await parts.sweep.sweep_once() == ["recent"]
    streams = await ledger_streams(pool)
    assert all(types == ["entered"] for types in streams.values())
    assert len(streams) == 4  # the flagged case kept its one entry
