"""Load a user's file: the machines and Lambda functions it defines.

A `.py` file is imported as a module and every module-level `StateMachine`
and `phalanx.function` in it is collected; any other file is read by
`phalanx.loading` (ASL JSON or YAML, a CloudFormation/SAM template), so
every command that takes `FILE` accepts the same files.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

from phalanx.asl import StateMachine
from phalanx.errors import LoadError
from phalanx.functions import LambdaFunction
from phalanx.loading.locations import display_path
from phalanx.loading.modules import load_module, machine_functions
from phalanx.loading.sources import load_sources, machine_of, require_file

__all__ = ["Project", "dump_json", "load_file", "machine_functions"]


@dataclasses.dataclass(frozen=True, slots=True)
class Project:
    """What one file declares: machines and functions by name."""

    path: Path
    machines: Mapping[str, StateMachine]
    functions: Mapping[str, LambdaFunction]

    def machine(self, name: str | None = None) -> tuple[str, StateMachine]:
        """The machine called `name`, or the only one when `name` is None."""
        file = display_path(self.path)
        if name is not None:
            if name not in self.machines:
                known = ", ".join(self.machines) or "none"
                raise LoadError(f"no state machine named {name!r} (found: {known})", file=file)
            return name, self.machines[name]
        if len(self.machines) == 1:
            return next(iter(self.machines.items()))
        if not self.machines:
            raise LoadError("defines no StateMachine", file=file)
        known = ", ".join(self.machines)
        raise LoadError(f"defines several state machines ({known}); choose one", file=file)


def load_file(path: str | Path) -> Project:
    """Load a `.py` module, an ASL definition (JSON or YAML) or a template's machines."""
    file = Path(path)
    require_file(file)
    if file.suffix == ".py":
        machines, functions = load_module(file)
        return Project(file, machines, functions)
    named = dict(machine_of(source) for source in load_sources(file, placeholders=True))
    return Project(file, named, {})


def dump_json(value: object) -> str:
    """JSON as Phalanx prints it: two-space indent, UTF-8 kept."""
    return json.dumps(value, indent=2, ensure_ascii=False)
