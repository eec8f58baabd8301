"""`phalanx run FILE`: run a state machine locally and show the path it took."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import click

from phalanx.cli.aws import aws_connection, aws_options
from phalanx.cli.inputs import TOO_DEEP, read_json_option
from phalanx.cli.problems import EXIT_FAIL, EXIT_OK, unusable_input
from phalanx.errors import DefinitionError, MockError, PhalanxError


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


def _mocks(config: str | None, test_case: str | None, machine: Any) -> Any:
    """--mock-config's --test-case for `machine`; its only machine when it names no other."""
    if config is None and test_case is None:
        return None
    if config is None or test_case is None:
        raise click.UsageError("--mock-config and --test-case go together")
    from phalanx.testing import MockConfigFile

    mocks = MockConfigFile.load(config)
    names = list(mocks.document.get("StateMachines", {}))
    name = machine.name if machine.name in names or len(names) != 1 else names[0]
    return mocks.test_case(name, test_case)


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
@click.option(
    "--mock-config",
    type=click.Path(dir_okay=False),
    help="A MockConfigFile (Step Functions Local's format); needs --test-case.",
)
@click.option("--test-case", help="The MockConfigFile test case whose mocks answer the tasks.")
@aws_options
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
    mock_config: str | None,
    test_case: str | None,
    use_aws: bool,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    allow_http: bool,
) -> None:
    """Run the state machine in FILE in this process.

    FILE is a Python module defining a StateMachine, an ASL definition
    (.json, .asl.yaml) or a CloudFormation/SAM template. Lambda tasks run the
    phalanx.functions of FILE (and of --functions). Exits 0 when the
    execution succeeds, 1 when it fails or the machine is not valid, 2 when
    FILE or an option cannot be used.
    """
    from phalanx.cli.machines import add_machine, runnable
    from phalanx.project import load_file
    from phalanx.runtime.local import run
    from phalanx.runtime.trace import TextTrace, outcome_text

    execution_input, raw_input = _read_input(input_text)
    # --type wins; else the type the machine (or its template) declares.
    machine, loaded, machine_type, machines = runnable(file, machine_name, machine_type)
    functions = dict(loaded.functions)
    with unusable_input():
        if functions_file is not None:
            extra = load_file(functions_file)
            functions.update(extra.functions)
            for name, model in extra.machines.items():
                add_machine(machines, name, model)
        mocks = _mocks(mock_config, test_case, machine)
    report = TextTrace() if output_format == "text" else None
    aws: Any = None
    if use_aws or endpoint_url or profile or region:
        from phalanx.services import plan_text, planned_calls

        aws = aws_connection(use_aws, profile, region, endpoint_url)
        target = endpoint_url or f"AWS ({aws.region})"
        click.echo(f"calling {target} through boto3", err=report is None)
        for line in plan_text(planned_calls(machine, machines)):
            click.echo(line, err=report is None)

    def show_call(call: Any) -> None:
        failed = f" -> {call.error}" if call.error else ""
        click.echo(
            f"{'':9}  $ {call.state}: {call.service}:{call.action} "
            f"{call.seconds * 1000:.0f} ms{failed}",
            err=report is None,
        )

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
            mocks=mocks,
            machines=machines,
            aws=aws,
            http=allow_http,
            on_call=show_call if aws is not None or allow_http else None,
        )
    except (DefinitionError, MockError) as error:
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
