"""Input and output processing for JSONPath states, in AWS's order.

    InputPath -> Parameters -> (the state's work) -> ResultSelector
              -> ResultPath (merge into the raw input) -> OutputPath

A field left out means "everything" (`$`); a field set to null means: an
empty object for InputPath/OutputPath, and "discard the result, keep the
input" for ResultPath (AWS "Processing input and output in Step Functions").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from phalanx.asl import NULL
from phalanx.query import jsonpath, payload
from phalanx.query.intrinsics import Sources


class Scope:
    """What a JSONPath or JSONata expression may read besides its data."""

    __slots__ = ("context", "sources", "variables")

    def __init__(
        self, context: dict[str, Any], variables: dict[str, Any], sources: Sources | None
    ) -> None:
        self.context = context
        self.variables = variables
        self.sources = sources


def select(path: Any, value: Any, scope: Scope) -> Any:
    """InputPath / OutputPath / ItemsPath."""
    if path is None:
        return value
    if path is NULL:
        return {}
    return jsonpath.evaluate(path, value, context=scope.context, variables=scope.variables)


def template(template: Any, value: Any, scope: Scope, field: str) -> Any:
    """Parameters, ResultSelector, ItemSelector, JSONPath Assign."""
    return payload.evaluate_template(
        template,
        value,
        context=scope.context,
        variables=scope.variables,
        field=field,
        sources=scope.sources,
    )


def merge_result(path: Any, raw_input: Any, result: Any) -> Any:
    """ResultPath: place `result` into the state's raw input."""
    if path is NULL:
        return raw_input
    return jsonpath.set_result_path(raw_input, result, "$" if path is None else path)


def assign_jsonpath(
    assign: Mapping[str, Any] | None, value: Any, scope: Scope
) -> dict[str, Any] | None:
    """Evaluate every `Assign` value first, then return the bindings to apply."""
    if assign is None:
        return None
    evaluated = template(dict(assign), value, scope, "Assign")
    assert isinstance(evaluated, dict)
    return evaluated
