"""`phalanx serve`: the Step Functions API on this machine, kept in a SQLite file.

    phalanx serve [--host 127.0.0.1] [--port 8083] [--db .phalanx/phalanx.db]
                  [--functions FILE.py [--reload]] [--mock-config FILE]
                  [--aws [--profile P] [--region R] [--endpoint-url URL]] [--http]

Binds loopback unless --host says otherwise (then warns: anyone who can reach
the port can use it, with any credentials). Stops cleanly on SIGTERM or
Ctrl-C. A second server on the same database is refused (exit 1).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from phalanx.api import ApiServer, serve
from phalanx.api.context import DEFAULT_ACCOUNT
from phalanx.cli.aws import aws_connection, aws_options
from phalanx.console import handle as console
from phalanx.errors import LoadError
from phalanx.runtime.clock import VirtualClock, epoch_seconds
from phalanx.store import DEFAULT_PATH, StoreError


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8083, show_default=True, help="Port."
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_PATH,
    show_default=True,
    help="SQLite database file (created if missing).",
)
@click.option("--verbose", is_flag=True, help="Log every request to stderr.")
@click.option(
    "--functions",
    "functions_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A .py file: its phalanx.functions serve Lambda Task states, its machines are created.",
)
@click.option(
    "--mock-config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A MockConfigFile (default: $SFN_MOCK_CONFIG): run <machineArn>#<TestCase>.",
)
@click.option("--reload", is_flag=True, help="Import --functions FILE again when it changes.")
@click.option(
    "--virtual-clock",
    is_flag=True,
    help="Time jumps to the next timer whenever nothing else is running (tests, benches).",
)
@click.option(
    "--account",
    default=DEFAULT_ACCOUNT,
    show_default=True,
    help="The account id in the ARNs the server returns.",
)
@click.option(
    "--start-time",
    metavar="ISO",
    help="With --virtual-clock, start the clock here (e.g. 2024-01-01T00:00:00Z).",
)
@aws_options
def serve_command(
    host: str,
    port: int,
    db_path: Path,
    verbose: bool,
    functions_file: Path | None,
    mock_config: Path | None,
    reload: bool,
    virtual_clock: bool,
    start_time: str | None,
    account: str,
    use_aws: bool,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    allow_http: bool,
) -> None:
    """Serve the Step Functions API (AWS JSON 1.0) for boto3, the AWS CLI and the SDKs.

    The same address serves a web console at / to start executions and watch them.
    """
    if not _is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this port can use the API, "
            "with any credentials",
            err=True,
        )

    def ready(server: ApiServer) -> None:
        click.echo(f"Phalanx serves the Step Functions API at {server.url} (database {db_path})")
        click.echo(f"The console: {server.url}/")
        click.echo("Stop with Ctrl-C or SIGTERM.")

    clock = None
    if start_time is not None and not virtual_clock:
        raise click.BadParameter("needs --virtual-clock", param_hint="--start-time")
    if virtual_clock:
        try:
            clock = VirtualClock(None if start_time is None else epoch_seconds(start_time))
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--start-time") from None
    if reload and functions_file is None:
        raise click.BadParameter("--reload needs --functions FILE", param_hint="--reload")
    aws = aws_connection(use_aws, profile, region, endpoint_url)
    if aws is not None:
        click.echo(
            f"Service integrations call {endpoint_url or f'AWS ({aws.region})'} through boto3"
        )
    try:
        serve(
            db_path,
            host,
            port,
            on_ready=ready,
            verbose=verbose,
            functions_file=functions_file,
            mock_config=mock_config,
            reload=reload,
            clock=clock,
            account=account,
            pages=console,
            aws=aws,
            http=allow_http,
        )
    except (StoreError, LoadError) as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from exc
    click.echo("Phalanx stopped.")
