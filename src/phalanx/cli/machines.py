"""FILE's machine, ready to run: loaded, chosen by --machine, validated as AWS would."""

from __future__ import annotations

import sys
from typing import Any

import click

from phalanx.cli.problems import failure_status, unusable_input
from phalanx.errors import InvalidMachineError, LoadError


def runnable(file: str, machine_name: str | None, machine_type: str | None = None) -> Any:
    """`(machine, loaded, machine_type, others)`; an invalid machine prints its errors and exits 1.

    `machine_type` wins over the type the machine (or its template) declares.
    `others` are FILE's other machines by name, for nested executions. A file
    that cannot be used exits 2 (`unusable_input`).
    """
    from phalanx.loading import choose, load, machine_of, runnable_machine
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
    others: dict[str, Any] = {}
    for other in loaded.sources:
        if other is not source:
            try:
                name, model = machine_of(other)
            except LoadError:
                continue  # a machine of FILE that cannot be read cannot be started either
            add_machine(others, name, model)
    return machine, loaded, machine_type, others


def add_machine(machines: dict[str, Any], name: str, model: Any) -> None:
    """Know `model` by the name FILE gives it and by its own (an ARN names either)."""
    machines.setdefault(name, model)
    machines.setdefault(model.name or name, model)
