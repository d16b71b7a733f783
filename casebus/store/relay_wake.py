"""How an append wakes the relays of its process: at once when its rows have committed, or a
little later when it only says an open transaction appended (``casebus.relay``)."""

from __future__ import annotations

import asyncio


# Relays of this process waiting for new events (``casebus.relay``): an append wakes them.
# In-process, not NOTIFY: a transaction that notifies commits under a cluster-wide lock, so
# concurrent appenders would no longer share WAL flushes (appends at 16 writers fell ~40 %).
# Another instance's appends reach a relay by its polling fallback.
class RelayWake:
    """How a relay is woken: ``committed`` once appended rows have committed (look now), or
    only that an open transaction appended (its commit should wake again: look a little
    later, not now, when the rows cannot be read yet)."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.committed = False

    def set(self, committed: bool) -> None:
        self.committed = self.committed or committed
        self.event.set()

    def take(self) -> tuple[bool, bool]:
        """(woken, committed) since the last take; clears both."""
        woken, committed = self.event.is_set(), self.committed
        self.event.clear()
        self.committed = False
        return woken, committed


_waiting_relays: set[RelayWake] = set()


def wake_on_append(wake: RelayWake) -> None:
    _waiting_relays.add(wake)


def stop_waking(wake: RelayWake) -> None:
    _waiting_relays.discard(wake)


def wake_relays(committed: bool = True) -> None:
    """Events were appended: the consumer and commands call it after their commit, when the
    rows have become readable; an append calls it too, saying whether it committed."""
    for wake in _waiting_relays:
        wake.set(committed)
