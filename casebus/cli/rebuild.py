"""``casebus rebuild reporting``: drop and rebuild reporting's read models from the log
(casebus/cli/reporting_rebuild.py says how), with a progress bar and events/s."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from casebus.cli.common import FAILED, clean_errors, out, run_async

app = typer.Typer(help="Rebuild read models from the log.", no_args_is_help=True)
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/reporting"


@app.command()
@clean_errors
def reporting(
        database_url: Annotated[str | None, typer.Option(
            help="reporting's database (CASEBUS_REPORTING_DATABASE_URL; default "
                 f"{DEFAULT_DATABASE})")] = None,
        bootstrap: Annotated[str | None, typer.Option(
            help="Kafka bootstrap servers (CASEBUS_KAFKA_BOOTSTRAP)")] = None) -> None:
    """Empty reporting's read models and re-apply every event of every topic from offset 0,
    in one transaction. Reporting must be stopped first (refused while it runs)."""
    from casebus.cli.rebuild_run import rebuild
    from casebus.settings import Settings

    url = database_url or os.environ.get("CASEBUS_REPORTING_DATABASE_URL") or DEFAULT_DATABASE
    outcome = run_async(rebuild(url, bootstrap or Settings().kafka_bootstrap))
    out.print(f"rebuilt {len(outcome.tables)} read-model table(s) from {outcome.events} events "
              f"in {outcome.seconds:.1f} s ({outcome.events / max(outcome.seconds, 1e-6):,.0f} "
              f"events/s): {outcome.applied} applied, {outcome.dead_lettered} dead-lettered",
              highlight=False)
    if outcome.dead_lettered:
        raise typer.Exit(FAILED)
