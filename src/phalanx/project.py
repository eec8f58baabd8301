"""Load a user's file: the machines and Lambda functions it defines.

A `.py` file is imported as a module and every module-level `StateMachine`
and `phalanx.function` in it is collected; a `.json` file is one ASL
definition. This is the one place Phalanx runs user code to find out what
there is, so every command that takes `FILE` behaves alike.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import sys
from collections.abc import Mapping
from pathlib import Path

from phalanx.asl import StateMachine
from phalanx.errors import DefinitionError, LoadError
from phalanx.functions import LambdaFunction


@dataclasses.dataclass(frozen=True, slots=True)
class Project:
    """What one file declares: machines and functions by name."""

    path: Path
    machines: Mapping[str, StateMachine]
    functions: Mapping[str, LambdaFunction]

    def machine(self, name: str | None = None) -> tuple[str, StateMachine]:
        """The machine called `name`, or the only one when `name` is None."""
        if name is not None:
            if name not in self.machines:
                known = ", ".join(self.machines) or "none"
                raise LoadError(f"{self.path}: no state machine named {name!r} (found: {known})")
            return name, self.machines[name]
        if len(self.machines) == 1:
            return next(iter(self.machines.items()))
        if not self.machines:
            raise LoadError(f"{self.path}: defines no StateMachine")
        known = ", ".join(self.machines)
        raise LoadError(f"{self.path}: defines several state machines ({known}); choose one")


def load_file(path: str | Path) -> Project:
    """Load a `.py` module or a `.json` ASL definition."""
    file = Path(path)
    if not file.is_file():
        raise LoadError(f"{file}: no such file")
    if file.suffix == ".py":
        return _load_module(file)
    if file.suffix in (".json", ".asl"):
        return _load_json(file)
    raise LoadError(f"{file}: expected a .py module or a .json ASL definition")


def _load_json(file: Path) -> Project:
    try:
        machine = StateMachine.from_asl(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise LoadError(f"{file}: cannot read: {error}") from None
    except DefinitionError as error:
        raise LoadError(f"{file}: {error}") from None
    name = machine.name or file.stem.removesuffix(".asl")
    return Project(file, {name: machine}, {})


def _load_module(file: Path) -> Project:
    resolved = file.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:8]
    module_name = f"phalanx_user_{resolved.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, resolved)
    if spec is None or spec.loader is None:
        raise LoadError(f"{file}: cannot be imported as a module")
    module = importlib.util.module_from_spec(spec)
    folder = str(resolved.parent)
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        sys.modules.pop(module_name, None)
        raise LoadError(f"{file}: importing it failed: {type(error).__name__}: {error}") from error
    finally:
        if added:
            sys.path.remove(folder)
    machines: dict[str, StateMachine] = {}
    functions: dict[str, LambdaFunction] = {}
    for attribute, value in vars(module).items():
        if isinstance(value, StateMachine):
            machines[value.name or attribute] = value
        elif isinstance(value, LambdaFunction):
            functions[value.name] = value
    for machine in machines.values():
        for function in machine_functions(machine):
            functions.setdefault(function.name, function)
    return Project(file, machines, functions)


def machine_functions(machine: StateMachine) -> list[LambdaFunction]:
    """The `phalanx.function`s a machine names: Task resources, and the
    `FunctionName` of a `lambda:invoke` Task's Parameters or Arguments, so a
    function that is not a module-level name is deployed too."""
    found: list[LambdaFunction] = []
    for _, state in machine.walk():
        resource = getattr(state, "resource", None)
        if isinstance(resource, LambdaFunction):
            found.append(resource)
        for payload in (getattr(state, "parameters", None), getattr(state, "arguments", None)):
            target = payload.get("FunctionName") if isinstance(payload, Mapping) else None
            if isinstance(target, LambdaFunction):
                found.append(target)
    return found


def dump_json(value: object) -> str:
    """JSON as Phalanx prints it: two-space indent, UTF-8 kept."""
    return json.dumps(value, indent=2, ensure_ascii=False)
