"""A watch as the JSON a faust table keeps in its changelog, and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.early_warning.domain.windowing import Sighting, Watch, Window


def encode_watch(watch: Watch) -> dict[str, Any]:
    return {"sightings": [encode_sighting(s) for s in watch.sightings],
            "raised": [[w.start.isoformat(), w.end.isoformat()] for w in watch.raised]}


def decode_watch(data: dict[str, Any] | None) -> Watch:
    if not data:
        return Watch()
    return Watch(
        sightings=tuple(decode_sighting(s) for s in data.get("sightings", [])),
        raised=tuple(Window(datetime.fromisoformat(start), datetime.fromisoformat(end))
                     for start, end in data.get("raised", [])))


def encode_sighting(sighting: Sighting) -> dict[str, Any]:
    return {"case_id": sighting.case_id, "at": sighting.at.isoformat(),
            "marks": list(sighting.marks)}


def decode_sighting(data: dict[str, Any]) -> Sighting:
    return Sighting(str(data["case_id"]), datetime.fromisoformat(data["at"]),
                    tuple(str(m) for m in data["marks"]))
