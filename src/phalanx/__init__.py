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
_LAZY: dict[str, str] = {
    **{
        name: "phalanx.asl"
        for name in (
            "DISCARD",
            "NULL",
            "And",
            "Branch",
            "Catcher",
            "Choice",
            "ChoiceRule",
            "Comparison",
            "Fail",
            "Logging",
            "Map",
            "Not",
            "Or",
            "Parallel",
            "Pass",
            "Retrier",
            "State",
            "StateMachine",
            "States",
            "Succeed",
            "Task",
            "Wait",
            "chain",
            "conditions",
            "jsonata",
            "path",
        )
    },
    **dict.fromkeys(
        (
            "DefinitionError",
            "FunctionError",
            "LoadError",
            "MachineOptionError",
            "PhalanxError",
        ),
        "phalanx.errors",
    ),
    "LambdaFunction": "phalanx.functions",
    "function": "phalanx.functions",
    "user_scoped_name": "phalanx.naming",
    "run": "phalanx.runtime.local",
    "Diagnostic": "phalanx.validation",
    "ValidationResult": "phalanx.validation",
    "validate": "phalanx.validation",
}

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
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'phalanx' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
