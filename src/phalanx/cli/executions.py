"""`phalanx executions`: the executions a `phalanx serve` database holds, newest first."""

from __future__ import annotations

import time
from pathlib import Path

import click

from phalanx.api import views
from phalanx.cli.database import db_option, format_option, reading
from phalanx.project import dump_json


@click.command("executions")
@db_option
@click.option("--machine", help="Only the executions of this state machine (its name or ARN).")
@click.option(
    "--status",
    type=click.Choice(views.STATUSES, case_sensitive=False),
    metavar="[" + "|".join(views.STATUSES) + "]",
    help="Only the executions with this status.",
)
@format_option("text: a table; json: ListExecutions' answer.")
def executions_command(
    db_path: Path, machine: str | None, status: str | None, output_format: str
) -> None:
    """List the executions kept in the database, newest first.

    Exit 0, or 2 when the database is missing or unusable.
    """
    with reading(db_path) as db:
        found = views.find_executions(db, machine=machine, status=status)
    if output_format == "json":
        click.echo(dump_json(views.executions_json(found)))
    else:
        click.echo(views.executions_table(found, now=time.time()))
