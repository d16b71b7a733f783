"""What the petitioner had been told about their case: the notices the events record as given
to them. Not accepted (with where they were guided), an answer delivered (the unit's answer
and outcome given before it), a review decision delivered, a re-examination decision (final,
issued to them). A decision not yet delivered was not told."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

_CASE = "petition.case.{}.v1".format


def told_to_petitioner(events: Iterable[tuple[str, str, datetime, dict[str, Any]]]
                       ) -> list[dict[str, Any]]:
    """From (event_id, wire type, occurred_at, data) in the order they happened: each notice
    with ``what``, ``event_id``, ``told_at`` and what it said."""
    told: list[dict[str, Any]] = []
    answer: dict[str, Any] = {}
    review: dict[str, Any] = {}
    for event_id, wire, at, data in events:
        notice: dict[str, Any] | None = None
        if wire == _CASE("answered"):
            answer = data
        elif wire == _CASE("review-decided"):
            review = data
        elif wire == _CASE("not-accepted"):
            notice = {"what": "not-accepted", "reason": data.get("reason"),
                      "guided_to": data.get("guided_to")}
        elif wire == _CASE("answer-delivered"):
            notice = {"what": "answer", "unit_id": answer.get("unit_id"),
                      "outcome": answer.get("outcome")}
        elif wire == _CASE("review-decision-delivered"):
            notice = {"what": "review-decision", "by": review.get("reviewing_body"),
                      "outcome": review.get("outcome")}
        elif wire == _CASE("reexamination-decided"):
            notice = {"what": "reexamination-decision", "by": data.get("reexamining_body"),
                      "outcome": data.get("outcome")}
        if notice is not None:
            told.append({"unit_id": None, "outcome": None, "by": None, "reason": None,
                         "guided_to": None, **notice, "event_id": event_id, "told_at": at})
    return told
