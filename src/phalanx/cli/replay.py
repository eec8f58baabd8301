"""`phalanx replay FILE HISTORY`: does the machine still do what a recorded execution did?"""

from __future__ import annotations

import sys
from typing import Any

import click

from phalanx.cli.deploy import connection_options, friendly_errors
from phalanx.cli.problems import EXIT_FAIL, EXIT_OK, unusable_input


def recorded_history(
    history: str | None,
    from_aws: str | None,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
) -> Any:
    """HISTORY read and checked, or the history of --from-aws fetched (every page)."""
    from phalanx.testing.history import read_history

    if (history is None) == (from_aws is None):
        raise click.UsageError("give HISTORY or --from-aws EXECUTION_ARN (one of them)")
    if from_aws is None:
        with unusable_input():
            return read_history(history or "")
    from phalanx.deploy.aws import Connection
    from phalanx.deploy.history import fetch_history, region_of

    connection = Connection(
        region=region or region_of(from_aws), profile=profile, endpoint_url=endpoint_url
    )
    with friendly_errors():
        document = fetch_history(connection, from_aws)
    with unusable_input():
        return read_history(document)


@click.command("replay")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("history", required=False, type=click.Path(dir_okay=False))
@click.option("--machine", "machine_name", help="Which machine, when FILE defines several.")
@click.option(
    "--from-aws",
    metavar="EXECUTION_ARN",
    help="Fetch the history of this execution from AWS instead of reading HISTORY.",
)
@connection_options
def replay_command(
    file: str,
    history: str | None,
    machine_name: str | None,
    from_aws: str | None,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
) -> None:
    """Replay a recorded execution against the machine in FILE.

    HISTORY is the execution's history as GetExecutionHistory returns it
    (aws stepfunctions get-execution-history, boto3, phalanx run --format
    json, or several pages joined). The machine runs on the recorded input,
    each Task, callback and activity answered with its recorded result, on
    the recorded clock. Prints `identical`, or the first difference: the
    event, the state, what the history says and what the machine does now.
    Exits 0 when identical, 1 when not, 2 when FILE or HISTORY cannot be used.
    """
    from phalanx.cli.machines import runnable
    from phalanx.testing.replay import replay

    recorded = recorded_history(history, from_aws, region, profile, endpoint_url)
    machine, _, _, _ = runnable(file, machine_name)
    with unusable_input():
        report = replay(machine, recorded, execution_arn=from_aws, validate=False)
    click.echo(report.text)
    sys.exit(EXIT_OK if report.identical else EXIT_FAIL)
