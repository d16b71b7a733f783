"""Paging of every list: ``limit`` (1-200, default 50) and ``offset``, both bounded so that no
query parameter can reach the database as an out-of-range integer (a 500 found by fuzzing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


async def paging(limit: Annotated[int, Query(ge=1, le=200, description="at most this many")
                                  ] = 50,
                 offset: Annotated[int, Query(ge=0, le=MAX_OFFSET,
                                              description="skip this many")] = 0) -> Paging:
    return Paging(limit, offset)


Page = Annotated[Paging, Depends(paging)]
