"""JSONata fields: `{% ... %}` strings evaluated with `$states` and the variables.

A JSONata state's fields (Arguments, Output, Assign, Condition, Items,
ItemSelector, Seconds, Timestamp, Error, Cause, ...) are JSON templates in
which a string `"{% expr %}"` is replaced by the expression's value; other
values are kept as they are. Expressions see `$states` (`input`, `context`,
`result`, `errorOutput`) and every variable in scope by name. Evaluation is
`phalanx.query.jsonata`; this module adds the field path AWS reports as the
`location` of an `EvaluationFailed` event (`Assign/result`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from phalanx.asl import NULL
from phalanx.errors import StatesError
from phalanx.query import json_type, jsonata
from phalanx.query.intrinsics import Sources

QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"


class EvaluationError(StatesError):
    """A JSONata field that failed; `location` is the field path (`Output/result`)."""

    def __init__(self, cause: str, location: str, error: str = QUERY_EVALUATION_ERROR) -> None:
        super().__init__(error, cause)
        self.location = location


def is_expression(value: Any) -> bool:
    return jsonata.is_expression(value)


def expression_text(value: str) -> str:
    return jsonata.strip(value) if jsonata.is_expression(value) else value


def evaluate(
    value: Any, bindings: Mapping[str, Any], field: str, sources: Sources | None = None
) -> Any:
    """Evaluate a JSONata template: expressions replaced, literals kept."""
    if value is NULL:
        return None
    if isinstance(value, str):
        if jsonata.is_expression(value):
            try:
                return jsonata.evaluate(value, bindings, field=field, sources=sources)
            except StatesError as error:
                raise EvaluationError(error.cause, field, error.error) from None
        return value
    if isinstance(value, dict):
        return {
            key: evaluate(item, bindings, f"{field}/{key}", sources) for key, item in value.items()
        }
    if isinstance(value, list):
        return [evaluate(item, bindings, f"{field}/{i}", sources) for i, item in enumerate(value)]
    return value


def expect_type(value: Any, expected: str, text: str, field: str) -> None:
    """Fail unless `value` has JSON type `expected` ("array", "boolean", ...)."""
    if json_type(value) != expected:
        raise unexpected_type(text, field, expected, value)


def unexpected_type(text: str, field: str, expected: str, value: Any) -> EvaluationError:
    """AWS's failure for a field whose expression `text` gave a value of the wrong type."""
    error = jsonata.unexpected_type(text, field, expected, value)
    return EvaluationError(error.cause, field, error.error)


def bindings(
    variables: Mapping[str, Any],
    *,
    input: Any,
    context: Any,
    result: Any = None,
    error_output: Any = None,
    has_result: bool = False,
    has_error: bool = False,
) -> dict[str, Any]:
    """The names an expression may use: `$states` and every variable."""
    states: dict[str, Any] = {"input": input, "context": context}
    if has_result:
        states["result"] = result
    if has_error:
        states["errorOutput"] = error_output
    return {**variables, "states": states}
