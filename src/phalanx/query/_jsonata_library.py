"""The one place that touches the `jsonata-python` library.

Kept apart so the rest of `query` sees plain JSON values and two small
exception types, and so another library can replace it in one file. The
library is untyped; this module is the typed boundary.

What it hides:

* null versus undefined: with `output_convert_nulls` off the library returns
  `Utils.NULL_VALUE` for JSON null and `None` for undefined; AWS fails on
  undefined and keeps null, so the difference must survive. The same holds
  going in: a variable bound to `None` would read as undefined.
* the clock: `$now()` / `$millis()` read the machine's clock unless the caller
  supplies the instant (`clock_functions`).
* sequences: results may be `JList` sequences; we return plain lists, and a
  function can ask for its list to be returned as a sequence (`$range`).
* numbers: integral floats become ints (JSONata numbers print as `7`, not `7.0`).
* errors: `JException` (and the library's occasional bare Python errors, e.g.
  `$number("x")` raising ValueError) become `EvaluationProblem`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jsonata as _jsonata  # type: ignore[import-untyped]
from jsonata import functions as _functions
from jsonata import jexception as _jexception
from jsonata import utils as _utils

from phalanx.query import _jsonata_functions as aws

_Utils = _utils.Utils
MAX_SAFE_INTEGER = 2**53


class SyntaxProblem(Exception):
    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


class EvaluationProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Compiled:
    expression: Any


@dataclass(frozen=True, slots=True)
class Outcome:
    value: Any = None
    undefined: bool = False
    function: bool = False


def compile_expression(text: str) -> Compiled:
    try:
        expression = _jsonata.Jsonata(text)
    except _jexception.JException as error:
        raise SyntaxProblem(int(error.location or 0), f"{error.error}: {error}") from None
    except Exception as error:  # the library's own bugs surface as plain errors
        raise SyntaxProblem(0, str(error)) from None
    if expression.errors:
        raise SyntaxProblem(0, str(expression.errors[0]))
    expression.set_output_convert_nulls(False)
    return Compiled(expression)


def function(implementation: Callable[..., Any], *, sequence: bool = False) -> Any:
    """Wrap a plain-JSON Python function as a JSONata function value."""

    def call(*args: Any) -> Any:
        plain = [to_plain(arg) for arg in args]
        result = implementation(*plain)
        if sequence and isinstance(result, list):
            return _Utils.create_sequence_from_iter(result)
        return result

    return _jsonata.Jsonata.JLambda(call)


def run(compiled: Compiled, bindings: Mapping[str, Any]) -> Outcome:
    # A variable bound to None reads as undefined in the library; JSON null
    # must be bound as NULL_VALUE (corpus scenarios/test_map_state_items_variable_sampling_null).
    # Nulls inside objects and arrays already read as null.
    frame = {
        name: _Utils.NULL_VALUE if value is None else value for name, value in bindings.items()
    }
    try:
        result = compiled.expression.evaluate(None, frame)
    except _jexception.JException as error:
        raise EvaluationProblem(f"{error.error}: {error}") from None
    except aws.FunctionError as error:
        raise EvaluationProblem(str(error)) from None
    except RecursionError:
        raise EvaluationProblem("U1001: Stack overflow error") from None
    except (ValueError, TypeError, ArithmeticError, KeyError, IndexError, AttributeError) as error:
        raise EvaluationProblem(str(error)) from None
    if result is None:
        return Outcome(undefined=True)
    if _is_function(result):
        return Outcome(function=True)
    return Outcome(value=to_plain(result))


def clock_functions(epoch_millis: int) -> dict[str, Any]:
    """`$now()` and `$millis()` reading a given instant instead of the machine's clock.

    JSONata fixes the time once per evaluation, so every call in one expression
    sees the same instant; `$now(picture, timezone)` formats it as the library does.
    """

    def now(picture: Any = None, timezone: Any = None) -> Any:
        return _functions.Functions.datetime_from_millis(epoch_millis, picture, timezone)

    def millis() -> int:
        return epoch_millis

    return {"now": _jsonata.Jsonata.JLambda(now), "millis": _jsonata.Jsonata.JLambda(millis)}


def _is_function(value: Any) -> bool:
    return bool(_Utils.is_function(value)) or type(value).__name__ == "Symbol"


def to_plain(value: Any) -> Any:
    """Library value -> JSON value: NULL_VALUE -> None, JList -> list, 7.0 -> 7."""
    if value is _Utils.NULL_VALUE:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < MAX_SAFE_INTEGER:
        return int(value)
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    return value
