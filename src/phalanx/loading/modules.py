"""Import a user's `.py` file and collect the machines and functions it defines.

This is the one place Phalanx runs user code to find out what there is. An
exception while importing is reported at the user's own line (the deepest
traceback frame in that file), not inside Phalanx or importlib.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import sysconfig
import traceback
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from phalanx.asl import StateMachine
from phalanx.errors import LoadError
from phalanx.functions import LambdaFunction
from phalanx.loading.locations import display_path


def load_module(file: Path) -> tuple[dict[str, StateMachine], dict[str, LambdaFunction]]:
    """The module-level machines (by name) and functions (by name) of `file`.

    Functions a machine names (Task resources, `lambda:invoke` targets) are
    included even when they are not module-level names.
    """
    module = import_file(file)
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
    return machines, functions


def import_file(file: Path) -> ModuleType:
    """Import `file` as a fresh module; `LoadError` at the user's line if it raises."""
    resolved = file.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:8]
    module_name = f"phalanx_user_{resolved.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, resolved)
    if spec is None or spec.loader is None:
        raise LoadError("cannot be imported as a module", file=display_path(file))
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
        raise import_error(file, error) from error
    finally:
        if added:
            sys.path.remove(folder)
    return module


def import_error(file: Path, error: BaseException) -> LoadError:
    """`error` raised while importing `file`, placed at the line of `file` it came from."""
    resolved = os.path.abspath(file.resolve())
    line: int | None = None
    column: int | None = None
    if isinstance(error, SyntaxError) and _same(error.filename, resolved):
        line, column = error.lineno, error.offset
        text = f"{type(error).__name__}: {error.msg}"
    else:
        frames = traceback.extract_tb(error.__traceback__)
        for frame in frames:
            if _same(frame.filename, resolved):
                line = frame.lineno
                colno = getattr(frame, "colno", None)
                column = colno + 1 if isinstance(colno, int) else None
        text = f"{type(error).__name__}: {error}"
        users = [frame for frame in frames if not _library(frame.filename)]
        deepest = users[-1] if users else None
        if line is not None and deepest is not None and not _same(deepest.filename, resolved):
            # Raised in a module of the user's that the file imports: say where, too.
            text += f" (raised at {display_path(deepest.filename)}:{deepest.lineno})"
    return LoadError(
        f"importing it failed: {text}", file=display_path(file), line=line, column=column
    )


def _same(filename: str | None, resolved: str) -> bool:
    return filename is not None and os.path.abspath(filename) == resolved


_LIBRARIES = tuple(
    os.path.abspath(folder) + os.sep
    for folder in {
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),  # phalanx itself
        *(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")),
    }
)


def _library(filename: str) -> bool:
    """A frame in Phalanx, the standard library or an installed package, not the user's code."""
    return filename.startswith("<") or os.path.abspath(filename).startswith(_LIBRARIES)


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
