"""Phalanx: AWS Step Functions workflows of Python Lambda functions.

Define a machine in Python, validate it, run it locally, ship it::

    import phalanx
    from phalanx import Task, Choice, Wait, Succeed, StateMachine
    from phalanx.asl.conditions import numeric_greater_than
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from phalanx.asl import (
        DISCARD,
        NULL,
        And,
        Branch,
        Catcher,
        Choice,
        ChoiceRule,
        Comparison,
        Fail,
        Logging,
        Map,
        Not,
        Or,
        Parallel,
        Pass,
        Retrier,
        State,
        StateMachine,
        States,
        Succeed,
        Task,
        Wait,
        chain,
        conditions,
        jsonata,
        path,
    )
    from phalanx.errors import (
        DefinitionError,
        FunctionError,
        InvalidMachineError,
        LoadError,
        MachineOptionError,
        PhalanxError,
    )
    from phalanx.functions import LambdaFunction, function
    from phalanx.naming import user_scoped_name
    from phalanx.runtime.local import run
    from phalanx.validation import Diagnostic, ValidationResult, validate

# Public names are imported on first use (PEP 562), so `import phalanx` and
# `phalanx --help` don't pay for building the model's dataclasses up front.
# A name in `__all__` is taken from the first of these modules that has it:
# lightest first, so `phalanx.PhalanxError` never imports the model. A later
# module may re-import an earlier one's name (runtime.local's StateMachine):
# the same object.
_SOURCES = (
    "phalanx.errors",
    "phalanx.naming",
    "phalanx.asl",
    "phalanx.functions",
    "phalanx.validation",
    "phalanx.runtime.local",
)

__version__ = "0.1.0"

__all__ = [
    "DISCARD",
    "NULL",
    "And",
    "Branch",
    "Catcher",
    "Choice",
    "ChoiceRule",
    "Comparison",
    "DefinitionError",
    "Diagnostic",
    "Fail",
    "FunctionError",
    "InvalidMachineError",
    "LambdaFunction",
    "LoadError",
    "Logging",
    "MachineOptionError",
    "Map",
    "Not",
    "Or",
    "Parallel",
    "Pass",
    "PhalanxError",
    "Retrier",
    "State",
    "StateMachine",
    "States",
    "Succeed",
    "Task",
    "ValidationResult",
    "Wait",
    "__version__",
    "chain",
    "conditions",
    "function",
    "jsonata",
    "path",
    "run",
    "user_scoped_name",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        for source in _SOURCES:
            module = importlib.import_module(source)
            if hasattr(module, name):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module 'phalanx' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
