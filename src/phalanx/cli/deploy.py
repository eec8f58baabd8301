"""Deploy commands: build, template, provision, describe, status, execute, delete.

Thin: each parses options, builds a `Connection` and calls `phalanx.deploy`.
Errors come back as one line, never a traceback: a FILE that cannot be
loaded as `path:line:col: message` (exit 2), a failed deploy as
`Error: ...` (exit 1).
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from phalanx.cli.problems import UnusableInput
from phalanx.errors import LoadError, PhalanxError
from phalanx.naming import user_scoped_name

F = TypeVar("F", bound=Callable[..., Any])


def _endpoint_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--endpoint-url must be an http(s) URL with a host (botocore raises ValueError otherwise)."""
    if value is None:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        raise click.BadParameter(
            f"{value!r} is not a URL (expected http://host:port or https://host)"
        )
    return value


def connection_options(command: F) -> F:
    """--region, --profile, --endpoint-url: where and as whom to call AWS."""
    for option in reversed(
        [
            click.option("--region", help="AWS region (default: the profile's or AWS_REGION)."),
            click.option("--profile", help="Named profile from ~/.aws (default: boto3's chain)."),
            click.option(
                "--endpoint-url",
                callback=_endpoint_url,
                help="Send every AWS call here (moto, LocalStack) instead of AWS.",
            ),
        ]
    ):
        command = option(command)
    return command


def stack_options(command: F) -> F:
    """FILE (optional) and --stack-name: which stack a command works on."""
    command = click.option(
        "--stack-name",
        help="Stack name (default: the file's name scoped to your user, e.g. roll-die-alice).",
    )(command)
    return click.argument("file", required=False, type=click.Path(dir_okay=False))(command)


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """Phalanx's and AWS's errors as one line; Ctrl-C leaves AWS working."""
    try:
        yield
    except LoadError as error:
        raise UnusableInput(str(error)) from None
    except PhalanxError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        raise click.ClickException(
            "interrupted: an operation already started goes on in AWS; check it with phalanx status"
        ) from None
    except Exception as error:
        from phalanx.deploy.aws import is_aws_error
        from phalanx.deploy.errors import explain

        if is_aws_error(error):
            raise click.ClickException(explain(error)) from None
        if isinstance(error, OSError):
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None
        raise


def friendly(command: F) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with friendly_errors():
            return command(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def stack_name_for(file: str | None, stack_name: str | None) -> str:
    if stack_name:
        return stack_name
    if file is None:
        raise click.UsageError("give FILE or --stack-name")
    return user_scoped_name(Path(file).stem)


def _connection(
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
    timeout: float | None = None,
) -> Any:
    from phalanx.deploy.aws import Connection, Pace

    pace = Pace() if timeout is None else Pace(timeout=timeout)
    return Connection(region=region, profile=profile, endpoint_url=endpoint_url, pace=pace)


def wait_option(command: F) -> F:
    """--timeout: how long to follow the stack before giving up (it goes on in AWS)."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0),
        default=3600,
        show_default=True,
        help="Seconds to follow the stack; after that, phalanx stops watching (AWS goes on).",
    )(command)


def _log() -> Any:
    from phalanx.deploy.progress import StepLog

    return StepLog(click.echo, time.monotonic)


def _load(file: str) -> Any:
    from phalanx.project import load_file

    return load_file(file)


@click.command("build")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Zip path (default: dist/).")
@friendly
def build_command(file: str, output: str | None) -> None:
    """Build the Lambda zip of FILE: code, dependencies, handler shim.

    Dependencies come from requirements.txt next to FILE, installed for
    Lambda's platform. The same inputs always give the same bytes.
    """
    from phalanx.deploy.package import build, unpackaged_warning
    from phalanx.deploy.progress import size

    project = _load(file)
    package = build(project)
    warning = unpackaged_warning(project, package)
    if warning:
        click.echo(warning, err=True)
    target = package.write(output or Path("dist") / f"{project.path.stem}.zip")
    click.echo(f"{target}: {len(package.entries)} files, {size(package.size)}")
    click.echo(f"sha256 {package.sha256}")
    for name, handler in sorted(package.handlers.items()):
        click.echo(f"  {name}: handler {handler}")


@click.command("template")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write here; .yaml/.yml gives YAML (default: JSON on stdout).",
)
@click.option("--stack-name", help="Passed to template hooks (default: none).")
@friendly
def template_command(file: str, output: str | None, stack_name: str | None) -> None:
    """Print the CloudFormation template of FILE, after its template hooks."""
    from phalanx.deploy.template import build_template, format_for, render

    built = build_template(_load(file), stack_name=stack_name)
    for note in built.notes:
        click.echo(f"note: {note}", err=True)
    if output is None:
        click.echo(render(built.template), nl=False)
        return
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(built.template, format_for(output)), encoding="utf-8")
    click.echo(f"{output}: {len(built.template['Resources'])} resources", err=True)


@click.command("provision")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--s3-bucket", required=True, help="Bucket for the code zip (in the stack's region).")
@click.option("--stack-name", help="Stack name (default: FILE's name scoped to your user).")
@click.option("--dry-run", is_flag=True, help="Show the change set, then delete it unexecuted.")
@wait_option
@connection_options
@friendly
def provision_command(
    file: str,
    s3_bucket: str,
    stack_name: str | None,
    dry_run: bool,
    timeout: float,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
) -> None:
    """Build FILE, upload it and create or update its stack through a change set."""
    from phalanx.deploy.provision import provision

    log = _log()
    name = stack_name_for(file, stack_name)
    project = _load(file)
    from phalanx.loading import display_path

    log.step(
        "load",
        f"{display_path(file)}: {len(project.functions)} function(s), "
        f"{len(project.machines)} machine(s); stack {name}",
    )
    provision(
        project,
        _connection(region, profile, endpoint_url, timeout),
        bucket=s3_bucket,
        stack_name=name,
        log=log,
        dry_run=dry_run,
    )


def _stack_report_command(report: Literal["describe", "status"], summary: str) -> click.Command:
    """A command that prints `phalanx.deploy.stack`'s report of that name on one stack."""

    @stack_options
    @connection_options
    @friendly
    def command(
        file: str | None,
        stack_name: str | None,
        region: str | None,
        profile: str | None,
        endpoint_url: str | None,
    ) -> None:
        from phalanx.deploy import stack

        conn = _connection(region, profile, endpoint_url)
        click.echo(getattr(stack, report)(conn, stack_name_for(file, stack_name)))

    return click.command(report, help=summary)(command)


describe_command = _stack_report_command(
    "describe", "Show a stack's status, resources and outputs."
)
status_command = _stack_report_command(
    "status", "Show a stack's status and its machines' latest executions."
)


@click.command("delete")
@stack_options
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@wait_option
@connection_options
@friendly
def delete_command(
    file: str | None,
    stack_name: str | None,
    yes: bool,
    timeout: float,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
) -> None:
    """Delete a stack and everything it created (the code zips stay in S3)."""
    from phalanx.deploy.stack import delete, require

    conn = _connection(region, profile, endpoint_url, timeout)
    name = stack_name_for(file, stack_name)
    require(conn, name)
    if not yes:
        click.confirm(f"Delete stack {name} and all its resources?", abort=True)
    delete(conn, name, _log())


@click.command("execute")
@stack_options
@click.option("--machine", help="Which machine, when the stack has several.")
@click.option(
    "--input", "payload", default="{}", show_default=True, help="Input: JSON text, or @file.json."
)
@click.option("--name", help="Execution name (default: generated).")
@click.option("--timeout", type=float, default=300, show_default=True, help="Seconds to follow.")
@connection_options
@friendly
def execute_command(
    file: str | None,
    stack_name: str | None,
    machine: str | None,
    payload: str,
    name: str | None,
    timeout: float,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
) -> None:
    """Start the deployed state machine and follow its history live."""
    import dataclasses

    from phalanx.cli.inputs import read_json_option
    from phalanx.deploy.aws import Connection, Pace
    from phalanx.deploy.execute import execute, machine_arn

    _, payload = read_json_option(payload)
    if machine is None and file is not None and file.endswith(".py"):
        machines = _load(file).machines
        machine = next(iter(machines)) if len(machines) == 1 else None
    conn: Connection = _connection(region, profile, endpoint_url)
    conn = dataclasses.replace(conn, pace=Pace(interval=1.0, timeout=timeout))
    arn = machine_arn(conn, stack_name_for(file, stack_name), machine)
    result = execute(conn, arn, payload, _log(), name=name)
    # Still RUNNING after --timeout is not a success either: a script must not go on.
    if result.status in ("FAILED", "TIMED_OUT", "ABORTED", "RUNNING"):
        raise SystemExit(1)
