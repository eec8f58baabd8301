"""Payload templates: `Parameters`, `ResultSelector`, `ItemSelector`, JSONPath `Assign`.

    >>> evaluate_template({"id.$": "$.user.id", "kind": "user"}, {"user": {"id": 7}})
    {'id': 7, 'kind': 'user'}

A key ending in `.$` takes its value from a path (`$.x`, `$$.x`, `$var.x`) or
an intrinsic call and loses the suffix; other values are copied, with nested
objects and arrays processed the same way. A path that selects nothing fails
with `States.Runtime` and AWS's cause (corpus
`scenarios/test_invalid_jsonpath`):

    The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could
    not be found in the input '{"a":1}'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from phalanx.errors import QuerySyntaxError, StatesError
from phalanx.query import intrinsics, jsonpath
from phalanx.query._intrinsic_functions import Sources
from phalanx.query._json import to_json

__all__ = ["evaluate_path", "evaluate_template", "not_found_cause"]


def not_found_cause(path: str, field: str, data: Any) -> str:
    """AWS's cause for a path in a payload (or ErrorPath/CausePath) that selects nothing."""
    return (
        f"The JSONPath '{path}' specified for the field '{field}' "
        f"could not be found in the input '{to_json(data)}'"
    )


def evaluate_path(
    expression: str,
    data: Any,
    *,
    context: Any = None,
    variables: Mapping[str, Any] | None = None,
    sources: Sources | None = None,
) -> Any:
    """The value of a `.$` or ErrorPath/CausePath expression: an intrinsic call or a path.

    A path that selects nothing raises `jsonpath.PathNotFound`: each field words
    its own cause (`not_found_cause`)."""
    if intrinsics.is_intrinsic(expression):
        return intrinsics.evaluate(
            expression, data, context=context, variables=variables, sources=sources
        )
    return jsonpath.evaluate(expression, data, context=context, variables=variables)


def evaluate_template(
    template: Any,
    data: Any,
    *,
    context: Any = None,
    variables: Mapping[str, Any] | None = None,
    field: str = "Parameters",
    sources: Sources | None = None,
) -> Any:
    """Evaluate `template` against the state's `data` (effective input).

    `field` names the ASL field in messages about the template itself (a `.$`
    value that is not a string); path failures name the `.$` key, as AWS does.
    """
    return _Template(data, context, variables, field, sources).value(template)


class _Template:
    def __init__(
        self,
        data: Any,
        context: Any,
        variables: Mapping[str, Any] | None,
        field: str,
        sources: Sources | None,
    ) -> None:
        self.data = data
        self.context = context
        self.variables = variables
        self.field = field
        self.sources = sources

    def value(self, node: Any) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, item in node.items():
                if key.endswith(".$"):
                    out[key[:-2]] = self.dynamic(key, item)
                else:
                    out[key] = self.value(item)
            return out
        if isinstance(node, list):
            return [self.value(item) for item in node]
        return node

    def dynamic(self, key: str, expression: Any) -> Any:
        if not isinstance(expression, str):
            raise QuerySyntaxError(
                str(expression), 0, f"{self.field}: the value of {key!r} must be a path string"
            )
        try:
            return evaluate_path(
                expression,
                self.data,
                context=self.context,
                variables=self.variables,
                sources=self.sources,
            )
        except jsonpath.PathNotFound as missing:
            raise StatesError(
                "States.Runtime", not_found_cause(missing.path, key, self.data)
            ) from None
