"""The `phalanx` command group.

Subcommands are imported only when invoked, so `phalanx --help` stays fast
however heavy a subcommand's dependencies (boto3, the engine) are.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> (module, attribute, one-line help shown by `phalanx --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "asl": ("phalanx.cli.asl", "asl_command", "Print the ASL JSON of a state machine."),
    "build": ("phalanx.cli.deploy", "build_command", "Build the Lambda zip of a file."),
    "template": ("phalanx.cli.deploy", "template_command", "Print the CloudFormation template."),
    "provision": ("phalanx.cli.deploy", "provision_command", "Create or update the stack."),
    "describe": ("phalanx.cli.deploy", "describe_command", "Show a stack's resources, outputs."),
    "status": ("phalanx.cli.deploy", "status_command", "Show a stack's status, executions."),
    "execute": ("phalanx.cli.deploy", "execute_command", "Run the deployed machine, follow it."),
    "executions": ("phalanx.cli.executions", "executions_command", "List the served executions."),
    "history": ("phalanx.cli.history", "history_command", "Show an execution's events, live."),
    "delete": ("phalanx.cli.deploy", "delete_command", "Delete a stack."),
    "run": ("phalanx.cli.run", "run_command", "Run a state machine locally."),
    "graph": ("phalanx.cli.graph", "graph_command", "Draw a state machine as a graph."),
    "serve": ("phalanx.cli.serve", "serve_command", "Serve the Step Functions API locally."),
    "validate": (
        "phalanx.cli.validate",
        "validate_command",
        "Check definitions as AWS would, before deploying.",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attribute, _ = entry
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="phalanx")
def cli() -> None:
    """Phalanx: AWS Step Functions workflows of Python Lambda functions.

    Define a machine in Python, validate it, run it locally, ship it to AWS.
    """


def main(argv: Any = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="phalanx")
