"""Composing the consumer's handlers: a clock reaction and the case-record reaction of the
same event type both run, in order, in the one transaction; neither replaces the other."""

from __future__ import annotations

from typing import Any

from casebus.consumer import Handler
from services.accountability.service_layer.case_record_reactions import (
    CASE_EVENTS,
    both,
    composed,
)


def event(name: str) -> Any:
    return name  # stands for the CloudEvent: the combinator only passes it on


def recorder(calls: list[str], name: str) -> Handler:
    async def handle(conn: Any, event: Any) -> None:
        calls.append(f"{name}:{event}")
    return handle


async def test_both_runs_the_first_then_the_second_with_the_same_arguments() -> None:
    calls: list[str] = []
    await both(recorder(calls, "clock"), recorder(calls, "record"))(None, event("e1"))
    assert calls == ["clock:e1", "record:e1"]


async def test_composed_keeps_every_existing_handler_and_adds_the_new_ones() -> None:
    calls: list[str] = []
    existing = {"petition.case.answered.v1": recorder(calls, "clock"),
                "petition.calendar.day-corrected.v1": recorder(calls, "calendar")}
    added = {t: recorder(calls, "record") for t in CASE_EVENTS}
    handlers = composed(existing, added)
    assert set(handlers) == set(existing) | set(CASE_EVENTS)
    await handlers["petition.case.answered.v1"](None, event("a"))
    await handlers["petition.calendar.day-corrected.v1"](None, event("c"))
    await handlers["petition.case.evaluated.v1"](None, event("v"))
    assert calls == ["clock:a", "record:a", "calendar:c", "record:v"]
