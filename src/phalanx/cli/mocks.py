"""`phalanx mocks HISTORY`: a MockConfigFile whose test case reproduces a recorded execution."""

from __future__ import annotations

import json
from pathlib import Path

import click

from phalanx.cli.deploy import connection_options
from phalanx.cli.problems import UnusableInput


@click.command("mocks")
@click.argument("history", required=False, type=click.Path(dir_okay=False))
@click.option("--test-case", default="Recorded", show_default=True, help="The test case's name.")
@click.option(
    "--machine",
    "machine_name",
    default="StateMachine",
    show_default=True,
    help="The state machine's name in the file (phalanx run takes a file's only one anyway).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option(
    "--from-aws",
    metavar="EXECUTION_ARN",
    help="Fetch the history of this execution from AWS instead of reading HISTORY.",
)
@connection_options
def mocks_command(
    history: str | None,
    test_case: str,
    machine_name: str,
    output: str | None,
    from_aws: str | None,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
) -> None:
    """Write a MockConfigFile (Step Functions Local's format) from a recorded execution.

    Its test case gives each state that called a task the recorded results in
    call order, failures as Throw: `phalanx run FILE --mock-config OUT
    --test-case NAME` takes the recorded path to the recorded output.
    """
    from phalanx.cli.replay import recorded_history
    from phalanx.testing import mock_config, mocks_from_history

    recorded = recorded_history(history, from_aws, region, profile, endpoint_url)
    document = mock_config(mocks_from_history(recorded), machine_name, test_case)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if output is None:
        click.echo(text)
        return
    try:
        Path(output).write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise UnusableInput(f"{output}: cannot write: {error.strerror or error}") from None
    click.echo(f"wrote {output}: test case {test_case!r} of {machine_name!r}", err=True)
