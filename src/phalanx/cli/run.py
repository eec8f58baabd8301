"""`phalanx run FILE`: run a state machine locally and show the path it took."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import click

from phalanx.cli.inputs import TOO_DEEP, read_json_option
from phalanx.cli.problems import EXIT_FAIL, EXIT_OK, failure_status, unusable_input
from phalanx.errors import DefinitionError, InvalidMachineError, PhalanxError


def _read_input(value: str | None) -> tuple[Any, str | None]:
    """The input's JSON value and its text as given, checked as StartExecution checks it."""
    if value is None:
        return {}, None
    parsed, text = read_json_option(value)
    from phalanx.runtime.local import check_input

    try:
        check_input(parsed)
    except DefinitionError as error:
        # A lone surrogate (\ud800) is not UTF-8 JSON; over 256 KiB is too big:
        # StartExecution refuses both.
        raise click.BadParameter(error.message, param_hint="--input") from None
    except RecursionError:
        raise click.BadParameter(TOO_DEEP, param_hint="--input") from None
    return parsed, text


def _start_time(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """--start-time: an ISO 8601 time, which only the virtual clock (--fast) can start at."""
    if value is None:
        return None
    from phalanx.runtime.clock import epoch_seconds

    try:
        epoch_seconds(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if not ctx.params.get("fast"):
        raise click.BadParameter("needs --fast: the real clock starts now")
    return datetime.fromisoformat(value.strip())


@click.command("run")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--input", "input_text", help="Execution input: JSON text, or @file.json.")
@click.option(
    "--type",
    "machine_type",
    type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
    help="Workflow type  [default: the machine's declared type, else STANDARD]",
)
@click.option(
    "--fast",
    is_flag=True,
    is_eager=True,
    help="Virtual clock: waits and backoffs pass instantly. It starts now (see --start-time).",
)
@click.option(
    "--start-time",
    metavar="ISO",
    callback=_start_time,
    help="With --fast, start the virtual clock here (e.g. 2024-01-01T00:00:00Z) "
    "for reproducible timestamps.",
)
@click.option(
    "--functions",
    "functions_file",
    type=click.Path(dir_okay=False),
    help="A .py file whose phalanx.functions serve ARN resources, by name.",
)
@click.option("--machine", "machine_name", help="Which machine, when FILE defines several.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the path as it runs; json: {status, output, error, cause, history}.",
)
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(dir_okay=False),
    help="Draw the execution on the graph into this .svg/.png/.html/.mmd/.dot file.",
)
def run_command(
    file: str,
    input_text: str | None,
    machine_type: str | None,
    fast: bool,
    start_time: datetime | None,
    functions_file: str | None,
    machine_name: str | None,
    output_format: str,
    graph_file: str | None,
) -> None:
    """Run the state machine in FILE in this process.

    FILE is a Python module defining a StateMachine, an ASL definition
    (.json, .asl.yaml) or a CloudFormation/SAM template. Lambda tasks run the
    phalanx.functions of FILE (and of --functions). Exits 0 when the
    execution succeeds, 1 when it fails or the machine is not valid, 2 when
    FILE or an option cannot be used.
    """
    from phalanx.loading import choose, load, runnable_machine
    from phalanx.loading.report import render_text
    from phalanx.project import load_file
    from phalanx.runtime.local import run
    from phalanx.runtime.trace import TextTrace, outcome_text

    execution_input, raw_input = _read_input(input_text)
    with unusable_input():
        loaded = load(file)
        source = choose(loaded.sources, machine_name)
        # --type wins; else the type the machine (or its template) declares.
        machine_type = (machine_type or source.machine_type).upper()
        functions = dict(loaded.functions)
        if functions_file is not None:
            functions.update(load_file(functions_file).functions)
        try:
            machine = runnable_machine(source, machine_type)
        except InvalidMachineError as error:
            # At their lines, as `phalanx validate` shows them.
            for line in render_text(source, error.diagnostics):
                click.echo(line, err=True)
            click.echo("the state machine is not valid; nothing was run", err=True)
            sys.exit(failure_status(error.diagnostics))
    report = TextTrace() if output_format == "text" else None

    def show(event: dict[str, Any], label: str) -> None:
        assert report is not None
        for line in report(event, label):
            click.echo(line)

    try:
        execution = run(
            machine,
            execution_input,
            functions=functions,
            fast=fast,
            machine_type=machine_type,
            trace=show if report is not None else None,
            input_text=raw_input,
            start_time=start_time,
            validate=False,  # done above, with the file's positions
        )
    except DefinitionError as error:
        # Refused before starting, as CreateStateMachine/StartExecution would.
        raise click.ClickException(str(error)) from None
    if graph_file is not None:
        from phalanx.graph import save

        try:
            save(machine, graph_file, history=execution.history)
        except PhalanxError as error:
            raise click.ClickException(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps(execution.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(
            outcome_text(execution.status, execution.output, execution.error, execution.cause)
        )
    sys.exit(EXIT_OK if execution.status == "SUCCEEDED" else EXIT_FAIL)
