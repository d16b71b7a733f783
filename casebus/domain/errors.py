"""Domain errors name the rule that refused a command, so clerks and tests can see why."""


class DomainRuleViolation(Exception):
    """A command broke a rule of the domain. ``rule`` is a stable, searchable identifier
    (e.g. ``"return-within-5-working-days"``); ``message`` says it for a person."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule = rule
        self.message = message
