"""Reading each district's routing document from a folder of YAML files."""

from __future__ import annotations

from pathlib import Path

import yaml

from services.routing.domain.rules import RoutingRules, RoutingRulesInvalid

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def load_rule_documents(folder: Path) -> dict[str, RoutingRules]:
    documents: dict[str, RoutingRules] = {}
    for path in sorted(folder.glob("*.y*ml")):
        try:
            rules = RoutingRules.parse(yaml.safe_load(path.read_text()))
        except RoutingRulesInvalid as exc:
            raise ValueError(f"{path}: {exc}") from exc
        documents[rules.district] = rules
    return documents
