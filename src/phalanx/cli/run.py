"""`phalanx run FILE`: run a state machine locally and show the path it took."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from phalanx.cli.inputs import TOO_DEEP, read_json_option
from phalanx.engine.history import details_key
from phalanx.errors import DefinitionError, LoadError, PhalanxError
from phalanx.project import load_file


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


class TextReport:
    """Prints each state as it is entered and left, with durations and transitions."""

    def __init__(self) -> None:
        self.start: float | None = None
        self.entered: dict[str, float] = {}
        self.last_exit: str | None = None

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        now = float(event["timestamp"])
        if self.start is None:
            self.start = now
        offset = f"{now - self.start:8.3f}s"
        details = event.get(details_key(kind), {})
        if kind.endswith("StateEntered"):
            name = details.get("name", "?")
            if self.last_exit is not None:
                click.echo(f"{offset}    {self.last_exit} -> {name}")
                self.last_exit = None
            self.entered[name] = now
            click.echo(f"{offset}  > {name} ({kind.removesuffix('StateEntered')})")
        elif kind.endswith("StateExited"):
            name = details.get("name", "?")
            took = now - self.entered.get(name, now)
            click.echo(f"{offset}  < {name} after {took:.3f}s")
            self.last_exit = name
        elif kind in ("MapIterationStarted", "MapIterationFailed"):
            click.echo(f"{offset}    {details.get('name')}[{details.get('index')}] {kind[12:]}")
        elif kind.endswith("Failed") or kind.endswith("TimedOut"):
            error = details.get("error")
            if error is not None and not kind.startswith("Execution"):
                click.echo(f"{offset}    {kind}: {error}")


def _refuse_invalid(machine: Any, machine_type: str) -> None:
    """Show the errors of a machine AWS would refuse to create, and stop before running it."""
    from phalanx.validation import validate

    result = validate(machine, machine_type=machine_type)
    if result.result == "OK":
        return
    for diagnostic in result.diagnostics:
        click.echo(
            f"error {diagnostic.code} {diagnostic.location or '/'}: {diagnostic.message}", err=True
        )
    raise click.ClickException("the state machine is not valid; nothing was run")


@click.command("run")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--input", "input_text", help="Execution input: JSON text, or @file.json.")
@click.option(
    "--type",
    "machine_type",
    type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
    help="Workflow type  [default: the machine's declared type, else STANDARD]",
)
@click.option("--fast", is_flag=True, help="Virtual clock: waits and backoffs pass instantly.")
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
    functions_file: str | None,
    machine_name: str | None,
    output_format: str,
    graph_file: str | None,
) -> None:
    """Run the state machine in FILE in this process.

    FILE is a Python module defining a StateMachine, or an ASL .json file.
    Lambda tasks run the phalanx.functions of FILE (and of --functions).
    Exits 0 when the execution succeeds, 1 otherwise.
    """
    from phalanx.runtime.local import run

    execution_input, raw_input = _read_input(input_text)
    try:
        project = load_file(file)
        name, machine = project.machine(machine_name)
        functions = dict(project.functions)
        if functions_file is not None:
            functions.update(load_file(functions_file).functions)
    except (LoadError, DefinitionError) as error:
        raise click.ClickException(str(error)) from None
    machine_type = (machine_type or machine.type or "STANDARD").upper()
    _refuse_invalid(machine, machine_type)
    report = TextReport() if output_format == "text" else None
    if machine.name is None:
        import dataclasses

        machine = dataclasses.replace(machine, name=name)
    try:
        execution = run(
            machine,
            execution_input,
            functions=functions,
            fast=fast,
            machine_type=machine_type,
            on_event=report,
            input_text=raw_input,
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
        click.echo(execution.status)
        if execution.status == "SUCCEEDED":
            click.echo(json.dumps(execution.output, indent=2, ensure_ascii=False))
        else:
            click.echo(f"error: {execution.error}")
            click.echo(f"cause: {execution.cause}")
    sys.exit(0 if execution.status == "SUCCEEDED" else 1)
