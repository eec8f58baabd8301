"""Phalanx: AWS Step Functions workflows of Python Lambda functions.

Define a machine in Python, validate it, run it locally, ship it::

    import phalanx
    from phalanx import Task, Choice, Wait, Succeed, StateMachine
    from phalanx.asl.conditions import numeric_greater_than
"""

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
    conditions,
    jsonata,
    path,
)
from phalanx.errors import DefinitionError, FunctionError, LoadError, PhalanxError
from phalanx.functions import LambdaFunction, function
from phalanx.naming import user_scoped_name
from phalanx.runtime.local import run

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
    "Fail",
    "FunctionError",
    "LambdaFunction",
    "LoadError",
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
    "Wait",
    "__version__",
    "conditions",
    "function",
    "jsonata",
    "path",
    "run",
    "user_scoped_name",
]
