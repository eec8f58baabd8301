"""`phalanx graph FILE`: draw a machine (and an execution on it) as SVG, PNG, HTML, Mermaid, DOT."""

from __future__ import annotations

from pathlib import Path

import click

from phalanx.cli.inputs import read_json_option
from phalanx.cli.problems import unusable_input
from phalanx.errors import LoadError, PhalanxError
from phalanx.graph import FORMATS, format_for, render
from phalanx.project import load_file


@click.command("graph")
@click.argument("file", type=click.Path(dir_okay=False))
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
def graph_command(
    file: str,
    output_format: str | None,
    output: str | None,
    machine_name: str | None,
    history: str | None,
) -> None:
    """Draw the state machine in FILE as a graph.

    States are boxes with their type, Choice edges carry their rules, Catch
    edges are dashed, Map and Parallel states hold their branches. With
    --history, states are coloured by what happened and numbered in the
    order the execution entered them.
    """
    events = None if history is None else read_json_option(f"@{history}", "--history")[0]
    if output_format is None:
        try:
            output_format = "svg" if output is None else format_for(output)
        except LoadError as error:
            raise click.BadParameter(str(error), param_hint="--output") from None
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
