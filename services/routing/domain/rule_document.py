"""A district's routing rules: a versioned document, validated before it is ever used.

The service reads the YAML/JSON file; this module only takes the parsed dict, so the domain stays
free of file reading. Every problem is reported with the rule, the field and the reason, all at
once, so the office can fix a document in one pass.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casebus.domain.levels import Level

WILDCARD = "*"
MATCH_FIELDS = ("category", "community", "location")
Name = Annotated[str, Field(min_length=1)]


class _Document(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Unit(_Document):
    id: Name
    name: str = ""
    level: Level = Level.STREET


class RuleMatch(_Document):
    """What a rule matches; "*" matches anything. Comparison ignores letter case."""

    category: Name = WILDCARD
    community: Name = WILDCARD
    location: Name = WILDCARD

    @model_validator(mode="after")
    def _not_empty(self) -> RuleMatch:
        if not self.model_fields_set:
            raise ValueError("empty match: name at least one of category, community, location "
                             "(write '*' to match anything on purpose)")
        return self

    def named(self) -> dict[str, str]:
        """The fields this match constrains, i.e. those that are not the wildcard."""
        return {f: v for f in MATCH_FIELDS if (v := getattr(self, f)) != WILDCARD}


class RoutingRule(_Document):
    id: Name
    match: RuleMatch
    lead_unit: Name
    assisting_units: tuple[Name, ...] = ()
    level: Level = Level.STREET

    @property
    def specificity(self) -> int:
        """How many match fields are named rather than wildcards: more named, more specific."""
        return len(self.match.named())


class EscalationConditions(_Document):
    """When a case goes up one level. ``after_returns`` = 2 means "returned twice"."""

    after_returns: int = Field(default=2, ge=1)
    collective: bool = True
    key_period: bool = True
    key_person: bool = True
    overdue: bool = True


class RuleProblem(_Document):
    rule: str  # a rule id, "rules[3]" when the rule has no id, or "document"
    field: str
    why: str

    def __str__(self) -> str:
        return f"{self.rule}, field '{self.field}': {self.why}"


class RoutingRulesInvalid(ValueError):
    """The document cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"routing rules are invalid ({len(problems)} problem(s)):\n{lines}")
