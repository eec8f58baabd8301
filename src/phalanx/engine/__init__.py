"""Pure Step Functions semantics: (machine, input, answers to effects) -> Outcome.

See `interpreter.py`. Nothing in this package sleeps, reads the clock, spawns
threads or calls user code.
"""

from phalanx.engine.effects import (
    CallService,
    Effect,
    InvokeLambda,
    LambdaResponse,
    Now,
    Outcome,
    Random,
    ServiceResponse,
    Sleep,
)
from phalanx.engine.interpreter import ExecutionInfo, Interpreter

__all__ = [
    "CallService",
    "Effect",
    "ExecutionInfo",
    "Interpreter",
    "InvokeLambda",
    "LambdaResponse",
    "Now",
    "Outcome",
    "Random",
    "ServiceResponse",
    "Sleep",
]
