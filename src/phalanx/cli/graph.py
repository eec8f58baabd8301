"""`phalanx graph FILE`: draw a machine (and an execution on it) as SVG, PNG, HTML, Mermaid, DOT.

`phalanx graph --execution ARN` draws an execution of a `phalanx serve`: asked
of its API (`--endpoint-url`), or read from its database (`--db`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from phalanx.api import views
from phalanx.asl import StateMachine
from phalanx.cli.database import reading
from phalanx.cli.inputs import read_json_option
from phalanx.cli.problems import unusable_input
from phalanx.errors import LoadError, PhalanxError
from phalanx.graph import FORMATS, format_for, render
from phalanx.project import load_file

SERVE_URL = "http://127.0.0.1:8083"
"""Where `phalanx serve` listens unless told otherwise."""


@click.command("graph")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Output format  [default: from -o's suffix, else svg]",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@click.option("--machine", "machine_name", help="Which machine, when FILE defines several.")
@click.option(
    "--history",
    type=click.Path(dir_okay=False),
    help="An execution to draw: GetExecutionHistory JSON, or `phalanx run --format json` output.",
)
@click.option("--execution", metavar="ARN", help="Draw this execution of a phalanx serve.")
@click.option(
    "--endpoint-url", metavar="URL", help=f"With --execution: the server  [default: {SERVE_URL}]"
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --execution: read the server's database instead of asking it.",
)
def graph_command(
    file: str | None,
    output_format: str | None,
    output: str | None,
    machine_name: str | None,
    history: str | None,
    execution: str | None,
    endpoint_url: str | None,
    db_path: Path | None,
) -> None:
    """Draw the state machine in FILE as a graph.

    States are boxes with their type, Choice edges carry their rules, Catch
    edges are dashed, Map and Parallel states hold their branches. With
    --history, states are coloured by what happened and numbered in the
    order the execution entered them. --execution ARN draws an execution
    of a running `phalanx serve` (or from its database, with --db).
    """
    if (file is None) == (execution is None):
        raise click.UsageError("give FILE or --execution ARN (one of them)")
    if execution is not None and history is not None:
        raise click.BadParameter("--execution draws its own history", param_hint="--history")
    if endpoint_url is not None and db_path is not None:
        raise click.BadParameter("give --endpoint-url or --db, not both", param_hint="--db")
    events = None if history is None else read_json_option(f"@{history}", "--history")[0]
    if output_format is None:
        try:
            output_format = "svg" if output is None else format_for(output)
        except LoadError as error:
            raise click.BadParameter(str(error), param_hint="--output") from None
    if execution is not None:
        name, machine, events = _served(execution, endpoint_url, db_path)
    else:
        assert file is not None
        with unusable_input():
            name, machine = load_file(file).machine(machine_name)
    try:
        drawing = render(machine, output_format, history=events, name=machine.name or name)
    except LoadError as error:  # the file given is not an execution history
        raise click.BadParameter(str(error), param_hint="--history") from None
    except PhalanxError as error:  # PNG without Pillow
        raise click.ClickException(str(error)) from None
    if output is None:
        click.echo(drawing, nl=False)
    else:
        data = drawing if isinstance(drawing, bytes) else drawing.encode("utf-8")
        Path(output).write_bytes(data)


def _served(
    arn: str, endpoint_url: str | None, db_path: Path | None
) -> tuple[str, StateMachine, Any]:
    """The machine name, model and events of a served execution."""
    events: Any
    if db_path is not None:
        with reading(db_path) as db:
            record = views.find_execution(db, arn)
            events = views.history_json(views.events(db, arn))
        name, definition = record.machine_arn.split(":")[6], record.definition
    else:
        from phalanx.deploy.execute import recorded_execution

        try:
            name, definition, events = recorded_execution(endpoint_url or SERVE_URL, arn)
        except PhalanxError as error:
            raise click.ClickException(str(error)) from None
    try:
        return name, StateMachine.from_asl(definition), events
    except PhalanxError as error:
        raise click.ClickException(f"{arn}: {error}") from None
