"""JSONata as Step Functions runs it: `{% ... %}` strings, `$states`, AWS's extra functions.

    >>> evaluate("$states.input.a + 1", {"states": {"input": {"a": 1}}})
    2
    >>> evaluate_template({"sum": "{% 1 + 2 %}", "plain": "x"}, {})
    {'sum': 3, 'plain': 'x'}

AWS implements JSONata 2.0.6: `$eval` is not available (use `$parse`), and the
2.1 operators `??` and `?:` are refused. Expressions see no input document
(`$` is undefined); data comes from `$states` and `Assign` variables, passed
here as `bindings` without the `$`.

Failures are `StatesError("States.QueryEvaluationError", cause)` with AWS's
wording, which names the expression and the field (corpus
`assign/test_undefined_reference`, `scenarios/test_map_state_items_eval_jsonata_fail`):

    The JSONata expression '$doesNotExist' specified for the field
    'Output/result' returned nothing (undefined).

The evaluator is `jsonata-python` (a port of the Java implementation); see
docs/dependencies-query.md for why.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from phalanx.errors import QuerySyntaxError, StatesError
from phalanx.query import _jsonata_functions as aws
from phalanx.query import _jsonata_library as library
from phalanx.query._intrinsic_functions import Sources
from phalanx.query._json import json_type, to_json

__all__ = [
    "check_syntax",
    "evaluate",
    "evaluate_template",
    "is_expression",
    "strip",
    "unexpected_type",
]

OPEN = "{%"
CLOSE = "%}"
ERROR = "States.QueryEvaluationError"
UNSUPPORTED_OPERATORS = ("??", "?:")
"""JSONata 2.1 operators that AWS (JSONata 2.0.6) refuses."""

_DEFAULT_SOURCES = Sources()


def is_expression(value: Any) -> bool:
    """A string that is exactly `{% ... %}`; surrounding spaces make it a literal."""
    return (
        isinstance(value, str)
        and len(value) >= len(OPEN) + len(CLOSE)
        and value.startswith(OPEN)
        and value.endswith(CLOSE)
    )


def strip(value: str) -> str:
    """The expression between the delimiters, trimmed as AWS quotes it in causes."""
    return value[len(OPEN) : -len(CLOSE)].strip()


def check_syntax(expression: str) -> None:
    """Raise `QuerySyntaxError` if `expression` (no delimiters) would not parse on AWS."""
    _compile(expression)


@lru_cache(maxsize=2048)
def _compile(expression: str) -> library.Compiled:
    if not expression.strip():
        raise QuerySyntaxError(expression, 0, "empty JSONata expression")
    position = _unsupported_operator(expression)
    if position is not None:
        operator = expression[position : position + 2]
        raise QuerySyntaxError(
            expression, position, f"operator {operator!r} is not in JSONata 2.0.6"
        )
    try:
        return library.compile_expression(expression)
    except library.SyntaxProblem as problem:
        raise QuerySyntaxError(expression, problem.position, problem.message) from None


def _unsupported_operator(expression: str) -> int | None:
    """Offset of a `??` / `?:` outside strings, comments and regex literals."""
    index = 0
    previous = ""  # last significant character, to tell a regex '/' from division
    while index < len(expression):
        char = expression[index]
        if char in "\"'`":
            end = index + 1
            while end < len(expression) and expression[end] != char:
                end += 2 if expression[end] == "\\" else 1
            index, previous = end + 1, char
            continue
        if expression.startswith("/*", index):
            end = expression.find("*/", index + 2)
            index = len(expression) if end < 0 else end + 2
            continue
        if char == "/" and (previous == "" or previous in "([,:;=!<>&|?+-*%{^~"):
            end = index + 1
            while end < len(expression) and expression[end] != "/":
                end += 2 if expression[end] == "\\" else 1
            index, previous = end + 1, "/"
            continue
        if expression[index : index + 2] in UNSUPPORTED_OPERATORS:
            return index
        if not char.isspace():
            previous = char
        index += 1
    return None


def _undefined(expression: str, field: str) -> StatesError:
    return StatesError(
        ERROR,
        f"The JSONata expression '{expression}' specified for the field '{field}' "
        "returned nothing (undefined).",
    )


def evaluate(
    expression: str,
    bindings: Mapping[str, Any],
    *,
    field: str = "Output",
    sources: Sources | None = None,
) -> Any:
    """Evaluate one expression (with or without `{% %}`); `field` names it in causes.

    `bindings` maps variable names (no `$`) to values, `states` included.
    An undefined result or a function result is an error, as on AWS.
    """
    text = strip(expression) if is_expression(expression) else expression.strip()
    compiled = _compile(text)
    functions = _aws_functions(sources or _DEFAULT_SOURCES)
    if sources is not None and sources.now is not None:
        # One instant per evaluation, as JSONata's own $now() / $millis() do.
        functions.update(library.clock_functions(math.floor(sources.now() * 1000)))
    try:
        outcome = library.run(compiled, {**bindings, **functions})
    except library.EvaluationProblem as problem:
        raise StatesError(
            ERROR,
            f"The JSONata expression '{text}' specified for the field '{field}' "
            f"threw an error during evaluation: {problem.message}",
        ) from None
    if outcome.undefined:
        raise _undefined(text, field)
    if outcome.function:
        raise StatesError(
            ERROR,
            f"The JSONata expression '{text}' specified for the field '{field}' "
            "returned an unsupported result type.",
        )
    return outcome.value


def unexpected_type(expression: str, field: str, expected: str, value: Any) -> StatesError:
    """AWS's failure when a field's expression gives the wrong JSON type.

    For the engine's typed fields (Map `Items` must be an array, ...); corpus
    `scenarios/test_map_state_items_eval_jsonata_fail`:

        The JSONata expression 'true' specified for the field 'Items' returned an
        unexpected result type. Expected 'array', but was 'boolean' for value: true
    """
    return StatesError(
        ERROR,
        f"The JSONata expression '{expression}' specified for the field '{field}' returned an "
        f"unexpected result type. Expected '{expected}', but was '{json_type(value)}' "
        f"for value: {to_json(value)}",
    )


def _aws_functions(sources: Sources) -> dict[str, Any]:
    return {
        "partition": library.function(aws.partition),
        "range": library.function(aws.range_, sequence=True),
        "hash": library.function(aws.hash_),
        "random": library.function(aws.make_random(sources)),
        "uuid": library.function(aws.make_uuid(sources)),
        "parse": library.function(aws.parse),
        "eval": library.function(_no_eval),
    }


def _no_eval(*_: Any) -> Any:
    raise aws.FunctionError("$eval is not available in Step Functions; use $parse")


def evaluate_template(
    value: Any,
    bindings: Mapping[str, Any],
    *,
    field: str = "Output",
    sources: Sources | None = None,
) -> Any:
    """Evaluate every `{% %}` string inside `value` (objects and arrays, any depth).

    Field paths in causes follow AWS: `Output/result`, `Arguments/Payload/id`.
    """
    if is_expression(value):
        return evaluate(value, bindings, field=field, sources=sources)
    if isinstance(value, dict):
        return {
            key: evaluate_template(item, bindings, field=f"{field}/{key}", sources=sources)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            evaluate_template(item, bindings, field=f"{field}/{index}", sources=sources)
            for index, item in enumerate(value)
        ]
    return value
