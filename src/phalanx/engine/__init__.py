"""Pure Step Functions semantics: (machine, input, answers to effects) -> Outcome.

See `interpreter.py`. Nothing in this package sleeps, reads the clock, spawns
threads or calls user code.
"""

from phalanx.engine.effects import (
    Callback,
    CallbackResponse,
    CallService,
    Effect,
    InvokeLambda,
    LambdaResponse,
    Now,
    Outcome,
    Random,
    Seed,
    ServiceResponse,
    Sleep,
)
from phalanx.engine.interpreter import ExecutionInfo, Interpreter

__all__ = [
    "CallService",
    "Callback",
    "CallbackResponse",
    "Effect",
    "ExecutionInfo",
    "Interpreter",
    "InvokeLambda",
    "LambdaResponse",
    "Now",
    "Outcome",
    "Random",
    "Seed",
    "ServiceResponse",
    "Sleep",
]
