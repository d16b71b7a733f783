"""The events these tests feed carry every field the published contract requires, so the
read models are tested on what the services really publish (contracts/schemas)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.reporting.conftest import START
from tests.integration.reporting.events import CaseEvents
from tests.integration.reporting.test_order_and_repeats import story

SCHEMAS = Path(__file__).resolve().parents[3] / "contracts" / "schemas"


def test_fixture_events_carry_the_contracts_required_fields() -> None:
    case = CaseEvents()
    events = [e for topic in story(case).values() for e in topic]
    events += [case.intake("closed", START), case.routing("returned", START, unit_id="u",
                                                          reason="not ours")]
    checked = 0
    for event in events:
        schema = SCHEMAS / f"{event.type}.json"
        if not schema.exists():
            continue  # an event the contract adds (e.g. flagged-as-key): no schema yet
        required = set(json.loads(schema.read_text())["required"])
        assert required <= set(event.data), (event.type, required - set(event.data))
        checked += 1
    assert checked >= 12
