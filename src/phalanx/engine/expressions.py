"""JSONata fields: `{% ... %}` strings evaluated with `$states` and the variables.

A JSONata state's fields (Arguments, Output, Assign, Condition, Items,
ItemSelector, Seconds, Timestamp, Error, Cause, ...) are JSON templates in
which a string `"{% expr %}"` is replaced by the expression's value; other
values are kept as they are. Expressions see `$states` (`input`, `context`,
`result`, `errorOutput`) and every variable in scope by name.

Failures are `EvaluationError`s (`States.QueryEvaluationError`) whose
`location` is the field path AWS reports, e.g. `Assign/result` (corpus
`assign/test_undefined_reference`).
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Mapping
from typing import Any

from phalanx.asl import NULL
from phalanx.errors import StatesError

try:  # pragma: no cover - depends on the query package's progress
    from phalanx.query import jsonata as _query_jsonata  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _query_jsonata = None

QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"


class EvaluationError(StatesError):
    """A JSONata field that failed; `location` is the field path (`Output/result`)."""

    def __init__(self, cause: str, location: str, error: str = QUERY_EVALUATION_ERROR) -> None:
        super().__init__(error, cause)
        self.location = location


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}")


def expression_text(value: str) -> str:
    return value[2:-2].strip()


def evaluate(value: Any, bindings: Mapping[str, Any], field: str) -> Any:
    """Evaluate a JSONata template: expressions replaced, literals kept."""
    if value is NULL:
        return None
    if isinstance(value, str):
        if is_expression(value):
            return evaluate_expression(expression_text(value), bindings, field)
        return value
    if isinstance(value, dict):
        return {key: evaluate(item, bindings, f"{field}/{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [evaluate(item, bindings, f"{field}/{index}") for index, item in enumerate(value)]
    return value


def evaluate_expression(text: str, bindings: Mapping[str, Any], field: str) -> Any:
    """One expression's value; undefined, functions and errors fail as AWS reports them."""
    if _query_jsonata is not None:
        try:
            return _query_jsonata.evaluate(text, bindings)
        except StatesError as error:
            raise EvaluationError(error.cause, field, error.error) from None
    return _Fallback.evaluate(text, bindings, field)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def expect_type(value: Any, expected: str, text: str, field: str) -> None:
    """Fail unless `value` has JSON type `expected` ("array", "boolean", ...)."""
    if _describe(value) != expected:
        raise EvaluationError(
            f"The JSONata expression '{text}' specified for the field '{field}' returned an "
            f"unexpected result type. Expected '{expected}', but was '{_describe(value)}' "
            f"for value: {json.dumps(value, separators=(',', ':'), ensure_ascii=False)}",
            field,
        )


class _Fallback:
    """Evaluation with the `jsonata` package.

    TODO(query): phalanx.query.jsonata is not on the query branch yet; this
    wires the jsonata package directly, adding AWS's functions ($partition,
    $range, $hash, $random, $uuid, $parse). Remove once the query package
    provides `jsonata.evaluate`.
    """

    @staticmethod
    def evaluate(text: str, bindings: Mapping[str, Any], field: str) -> Any:
        import jsonata  # type: ignore[import-untyped]
        from jsonata.utils import Utils  # type: ignore[import-untyped]

        def failed(message: str) -> EvaluationError:
            return EvaluationError(
                f"The JSONata expression '{text}' specified for the field '{field}' {message}",
                field,
            )

        try:
            expression = jsonata.Jsonata(text)
            expression.set_output_convert_nulls(False)
            frame = expression.create_frame()
            for name, value in bindings.items():
                frame.bind(name, Utils.NULL_VALUE if value is None else value)
            for name, function in _AWS_FUNCTIONS.items():
                frame.bind(name, jsonata.Jsonata.JLambda(function))
            value = expression.evaluate(None, frame)
        except jsonata.JException as error:
            raise failed(f"threw an error during evaluation: {error}") from None
        except StatesError as error:
            raise EvaluationError(error.cause, field, error.error) from None
        except (TypeError, ValueError, ArithmeticError, RecursionError) as error:
            raise failed(f"threw an error during evaluation: {error}") from None
        if value is None:
            raise failed("returned nothing (undefined).")
        value = Utils.convert_nulls(value)
        if not _is_json(value):
            raise failed("returned an unsupported result type.")
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        return value


def _is_json(value: Any) -> bool:
    if value is None or isinstance(value, str | bool | int | float):
        return True
    if isinstance(value, list):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


def _invalid(name: str, message: str) -> StatesError:
    return StatesError(QUERY_EVALUATION_ERROR, f"{name}: {message}")


def _partition(array: Any, size: Any) -> list[Any]:
    if not isinstance(array, list) or not isinstance(size, int | float) or size <= 0:
        raise _invalid("$partition", "expects an array and a positive chunk size")
    step = int(size)
    return [array[i : i + step] for i in range(0, len(array), step)]


def _range(start: Any, end: Any, step: Any) -> Any:
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (start, end, step)):
        raise _invalid("$range", "expects numbers")
    if step == 0:
        raise _invalid("$range", "step must not be 0")
    values = []
    current = start
    while (step > 0 and current <= end) or (step < 0 and current >= end):
        values.append(int(current) if float(current).is_integer() else current)
        current += step
        if len(values) > 1000:
            raise _invalid("$range", "at most 1000 items")
    # A JSONata sequence of one value is that value (corpus
    # intrinsic_functions/test_array_jsonata: $range(1, 9, 9) is 1).
    return values[0] if len(values) == 1 else values


_HASHES = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}


def _hash(value: Any, algorithm: Any = "SHA-256") -> str:
    if not isinstance(value, str) or algorithm not in _HASHES:
        raise _invalid("$hash", "expects a string and an algorithm")
    return str(_HASHES[algorithm](value.encode("utf-8")).hexdigest())


def _random(seed: Any = None) -> float:
    return random.Random(seed).random() if seed is not None else random.random()


def _uuid() -> str:
    return str(uuid.uuid4())


def _parse(text: Any) -> Any:
    if not isinstance(text, str):
        raise _invalid("$parse", "expects a string")
    try:
        return json.loads(text)
    except ValueError:
        raise _invalid("$parse", f"not JSON text: {text}") from None


_AWS_FUNCTIONS = {
    "partition": _partition,
    "range": _range,
    "hash": _hash,
    "random": _random,
    "uuid": _uuid,
    "parse": _parse,
}


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
