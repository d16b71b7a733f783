"""What one consumer transaction already did, so the events of a page do not repeat it.

A page of events is applied in one transaction (``casebus.consumer``). Within it, a second
event of the same case need not take the case's advisory lock again (a transaction-scoped
lock is held until commit), nor ask again which calendar corrections exist. The consumer opens
a memo for exactly the transaction's lifetime: a rolled-back transaction lost its locks, and
its memo goes with it. Outside a consumer's transaction (an HTTP command) there is no memo and
every step runs as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict[Any, Any] | None] = ContextVar("casebus_transaction_memo", default=None)


@contextmanager
def transaction_memo() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Any) -> Any | None:
    """What was remembered under ``key`` in this transaction (None: nothing, or no memo)."""
    memo = _memo.get()
    return None if memo is None else memo.get(key)


def remember(key: Any, value: Any) -> None:
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def forget(key: Any) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)
