"""The operator CLI, ``casebus`` (installed with the package): one module per command group.

    casebus status | tail | dead-letters list|show|replay | rebuild reporting | provision
            | token | calendar show|correct
"""

from __future__ import annotations

import typer

from casebus.cli import calendar, dead_letters, provision, rebuild, status, tail, token
from casebus.cli.common import EXIT_CODES_HELP

app = typer.Typer(name="casebus", help="Operate the petition case system: watch its event "
                  "streams and services, re-drive dead letters, rebuild reporting.",
                  epilog=EXIT_CODES_HELP, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)
app.command()(status.status)
app.command()(tail.tail)
app.add_typer(dead_letters.app, name="dead-letters")
app.add_typer(rebuild.app, name="rebuild")
app.command()(provision.provision)
app.command()(token.token)
app.add_typer(calendar.app, name="calendar")

__all__ = ["app"]
