"""Clock ids: stable and deterministic, one stream per clock, so a redelivered or replayed
event names the same clock and its start is recognised as done.

- ``clock:<case>:register-and-forward`` (one per case), ``clock:<case>:review-decision`` and
  ``clock:<case>:reexamination-decision`` (one review, one re-examination per case);
- ``clock:<case>:notify-acceptance:<event id>`` and ``clock:<case>:handle-and-answer:<event id>``:
  every handover restarts the Art. 23 clocks and every acceptance starts an answer clock, so
  each gets its own stream, named by the id of the routing event that started it;
- ``clock:<case>:supervision:<order id>``: one per supervision order.
"""

from __future__ import annotations

from casebus.domain.deadlines import ClockKind


def clock_id(case_id: str, kind: ClockKind, started_by: str | None = None) -> str:
    """``started_by``: the handover or acceptance event id, or the supervision order id."""
    base = f"clock:{case_id}:{kind}"
    return base if started_by is None else f"{base}:{started_by}"
