"""`phalanx history ARN`: an execution's events from a `phalanx serve` database, or live."""

from __future__ import annotations

from pathlib import Path

import click

from phalanx.api import views
from phalanx.cli.database import db_option, format_option, reading
from phalanx.project import dump_json
from phalanx.runtime.clock import RealClock


@click.command("history")
@click.argument("arn")
@db_option
@click.option("--follow", is_flag=True, help="Keep printing new events until the execution ends.")
@format_option(
    "text: a table; json: GetExecutionHistory's answer (with --follow, one event a line)."
)
def history_command(arn: str, db_path: Path, follow: bool, output_format: str) -> None:
    """Show the history events of the execution ARN.

    Exit 0 (also on Ctrl-C while following), or 2 when the database is
    missing or unusable, ARN is not an execution ARN, or no such execution.
    """
    with reading(db_path) as db:
        views.find_execution(db, arn)
        if not follow:
            events = views.events(db, arn)
            if output_format == "json":
                click.echo(dump_json(views.history_json(events)))
            else:
                click.echo(views.history_table(events))
            return
        if output_format == "text":
            click.echo(views.history_header())
        clock = RealClock()
        show = views.history_event_json if output_format == "json" else views.history_line
        try:
            for event in views.follow(db, arn, wait=lambda: clock.sleep(views.POLL_SECONDS)):
                click.echo(show(event))
        except KeyboardInterrupt:
            return
