"""Reporting's handlers of events that are not about a case never take a case event's type:
those go to the timeline and their projection only, so such a handler would never run."""

from __future__ import annotations

import pytest

from services.reporting.service_layer.event_handlers import ReadModels


async def _handler(*_: object) -> None: ...


def test_a_handler_for_a_case_event_is_refused() -> None:
    with pytest.raises(ValueError, match=r"petition\.clock\.stopped\.v1"):
        ReadModels({"petition.clock.stopped.v1": _handler})


def test_every_type_is_applied_as_a_page_of_one() -> None:
    models = ReadModels({"petition.reception-day.held.v1": _handler})
    handlers = models.handlers()
    assert {"petition.reception-day.held.v1", "petition.clock.stopped.v1",
            "petition.case.registered.v2"} <= set(handlers)
    assert set(handlers.values()) == {models.apply}
