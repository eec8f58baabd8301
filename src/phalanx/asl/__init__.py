"""The Amazon States Language: a frozen model, its builder, and lossless JSON in/out."""

from phalanx.asl import conditions
from phalanx.asl.deployment import Logging
from phalanx.asl.dynamic import Expression, jsonata, path
from phalanx.asl.fields import DISCARD, JSON, NULL
from phalanx.asl.handling import Catcher, Retrier
from phalanx.asl.intrinsics import States
from phalanx.asl.machine import Branch, StateMachine, chain
from phalanx.asl.rules import (
    COMPARISON_OPERATORS,
    And,
    BooleanExpression,
    ChoiceRule,
    Comparison,
    Not,
    Or,
)
from phalanx.asl.states import (
    STATE_TYPES,
    Choice,
    Fail,
    Map,
    Parallel,
    Pass,
    SourceLocation,
    State,
    Succeed,
    Task,
    Wait,
)

__all__ = [
    "COMPARISON_OPERATORS",
    "DISCARD",
    "JSON",
    "NULL",
    "STATE_TYPES",
    "And",
    "BooleanExpression",
    "Branch",
    "Catcher",
    "Choice",
    "ChoiceRule",
    "Comparison",
    "Expression",
    "Fail",
    "Logging",
    "Map",
    "Not",
    "Or",
    "Parallel",
    "Pass",
    "Retrier",
    "SourceLocation",
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
]
