"""FILE's machine, ready to run: loaded, chosen by --machine, validated as AWS would."""

from __future__ import annotations

import sys
from typing import Any

import click

from phalanx.cli.problems import failure_status, unusable_input
from phalanx.errors import InvalidMachineError


def runnable(file: str, machine_name: str | None, machine_type: str | None = None) -> Any:
    """`(machine, loaded, machine_type)`; an invalid machine prints its errors and exits 1.

    `machine_type` wins over the type the machine (or its template) declares.
    A file that cannot be used exits 2 (`unusable_input`).
    """
    from phalanx.loading import choose, load, runnable_machine
    from phalanx.loading.report import render_text

    with unusable_input():
        loaded = load(file)
        source = choose(loaded.sources, machine_name)
        machine_type = (machine_type or source.machine_type).upper()
        try:
            machine = runnable_machine(source, machine_type)
        except InvalidMachineError as error:
            # At their lines, as `phalanx validate` shows them.
            for line in render_text(source, error.diagnostics):
                click.echo(line, err=True)
            click.echo("the state machine is not valid; nothing was run", err=True)
            sys.exit(failure_status(error.diagnostics))
    return machine, loaded, machine_type
