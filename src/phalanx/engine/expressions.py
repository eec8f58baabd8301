"""JSONata fields: `{% ... %}` strings evaluated with `$states` and the variables.

A JSONata state's fields (Arguments, Output, Assign, Condition, Items,
ItemSelector, Seconds, Timestamp, Error, Cause, ...) are JSON templates in
which a string `"{% expr %}"` is replaced by the expression's value; other
values are kept as they are. Expressions see `$states` (`input`, `context`,
`result`, `errorOutput`) and every variable in scope by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from phalanx.asl import NULL
from phalanx.errors import StatesError

try:  # pragma: no cover - depends on the query package's progress
    from phalanx.query import jsonata as _query_jsonata  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _query_jsonata = None


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}")


def _evaluate_text(text: str, bindings: Mapping[str, Any], field: str) -> Any:
    if _query_jsonata is not None:
        return _query_jsonata.evaluate(text, bindings)
    # TODO(query): phalanx.query.jsonata is not on the query branch yet; this
    # evaluates with the jsonata package directly, without AWS's added
    # functions ($partition, $range, $hash, $random, $uuid, $parse).
    import jsonata  # type: ignore[import-untyped]

    try:
        expression = jsonata.Jsonata(text)
        frame = expression.create_frame()
        for name, value in bindings.items():
            frame.bind(name, value)
        value = expression.evaluate(None, frame)
    except jsonata.JException as error:
        raise StatesError(
            "States.QueryEvaluationError",
            f"The JSONata expression '{text}' specified for the field '{field}' "
            f"threw an error during evaluation: {error}",
        ) from None
    if not _is_json(value):
        raise StatesError(
            "States.QueryEvaluationError",
            f"The JSONata expression '{text}' specified for the field '{field}' "
            "returned a value that is not JSON (a function?)",
        )
    return value


def _is_json(value: Any) -> bool:
    if value is None or isinstance(value, str | bool | int | float):
        return True
    if isinstance(value, list):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


def evaluate(value: Any, bindings: Mapping[str, Any], field: str) -> Any:
    """Evaluate a JSONata template: expressions replaced, literals kept."""
    if value is NULL:
        return None
    if isinstance(value, str):
        if is_expression(value):
            return _evaluate_text(value[2:-2].strip(), bindings, field)
        return value
    if isinstance(value, dict):
        return {key: evaluate(item, bindings, field) for key, item in value.items()}
    if isinstance(value, list):
        return [evaluate(item, bindings, field) for item in value]
    return value


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
