"""`phalanx asl FILE`: print a machine's ASL JSON."""

from __future__ import annotations

import click

from phalanx.cli.problems import unusable_input
from phalanx.functions import DEFAULT_ACCOUNT, DEFAULT_REGION, LambdaFunction
from phalanx.project import dump_json, load_file


@click.command("asl")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--machine", "machine_name", help="Which machine, when FILE defines several.")
@click.option(
    "--region",
    default=DEFAULT_REGION,
    show_default=True,
    help="Region in the ARNs of Lambda functions.",
)
@click.option(
    "--account",
    default=DEFAULT_ACCOUNT,
    show_default=True,
    help="Account id in the ARNs of Lambda functions.",
)
def asl_command(file: str, machine_name: str | None, region: str, account: str) -> None:
    """Print the ASL JSON of the state machine in FILE.

    FILE is a Python module (the StateMachine objects it defines), an ASL
    definition (.json, .asl.yaml) or a CloudFormation/SAM template, printed
    back canonically. Lambda tasks built from
    `phalanx.function`s print as the function's ARN.
    """
    with unusable_input():
        _, machine = load_file(file).machine(machine_name)

    def arn(function: LambdaFunction) -> str:
        return function.arn(region, account)

    click.echo(dump_json(machine.to_asl(arn)))
