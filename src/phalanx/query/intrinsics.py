"""Intrinsic functions (`States.Format(...)` and friends) for JSONPath states.

    >>> evaluate("States.Format('Hello {}', $.name)", {"name": "Ada"})
    'Hello Ada'

`parse` refuses what AWS refuses when a state machine is created: unknown
names, wrong argument counts, bad quoting. `evaluate` raises
`StatesError("States.Runtime", "Invalid arguments in States.<Name>")` for
arguments AWS rejects at run time, and `jsonpath.PathNotFound` when a path
argument selects nothing (the payload template turns that into AWS's
"The JSONPath ... could not be found" cause).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from phalanx.query import _intrinsic_functions as fn
from phalanx.query import jsonpath
from phalanx.query._intrinsic_functions import Sources
from phalanx.query._intrinsic_syntax import (
    PREFIX,
    Argument,
    Intrinsic,
    LiteralArg,
    PathArg,
    StringArg,
    parse_call,
)

__all__ = ["Intrinsic", "Sources", "evaluate", "is_intrinsic", "parse"]

_DEFAULT_SOURCES = Sources()


def is_intrinsic(text: Any) -> bool:
    """Cheap test: does this `.$` value call an intrinsic (rather than name a path)?"""
    return isinstance(text, str) and text.startswith(PREFIX)


@lru_cache(maxsize=4096)
def parse(text: str) -> Intrinsic:
    """Parse one call (with nested calls), raising `QuerySyntaxError`."""
    return parse_call(text)


def evaluate(
    expr: Intrinsic | str,
    data: Any,
    *,
    context: Any = None,
    variables: Mapping[str, Any] | None = None,
    sources: Sources | None = None,
) -> Any:
    """Evaluate a call against the state's data, context object and variables.

    `sources` supplies the random generator and UUID factory (MathRandom, UUID).
    """
    call = parse(expr) if isinstance(expr, str) else expr
    return _Evaluator(data, context, variables, sources or _DEFAULT_SOURCES).call(call)


class _Evaluator:
    def __init__(
        self,
        data: Any,
        context: Any,
        variables: Mapping[str, Any] | None,
        sources: Sources,
    ) -> None:
        self.data = data
        self.context = context
        self.variables = variables
        self.sources = sources

    def value(self, arg: Argument) -> Any:
        if isinstance(arg, StringArg):
            return arg.value
        if isinstance(arg, LiteralArg):
            return arg.value
        if isinstance(arg, PathArg):
            return jsonpath.evaluate(
                arg.path, self.data, context=self.context, variables=self.variables
            )
        return self.call(arg)

    def call(self, call: Intrinsic) -> Any:
        if call.name == "Format":
            template_arg = call.args[0]
            values = [self.value(arg) for arg in call.args[1:]]
            if isinstance(template_arg, StringArg):
                return fn.format_template(template_arg.raw, values, escaped=True)
            template = self.value(template_arg)
            if not isinstance(template, str):
                raise fn.invalid("Format")
            return fn.format_template(template, values, escaped=False)
        args = [self.value(arg) for arg in call.args]
        if call.name == "MathRandom":
            return fn.math_random(self.sources, *args)
        if call.name == "UUID":
            return self.sources.new_uuid()
        return _SIMPLE[call.name](*args)


_SIMPLE: dict[str, Any] = {
    "StringToJson": fn.string_to_json,
    "JsonToString": fn.json_to_string,
    "Array": lambda *values: list(values),
    "ArrayPartition": fn.array_partition,
    "ArrayContains": fn.array_contains,
    "ArrayRange": fn.array_range,
    "ArrayGetItem": fn.array_get_item,
    "ArrayLength": fn.array_length,
    "ArrayUnique": fn.array_unique,
    "Base64Encode": fn.base64_encode,
    "Base64Decode": fn.base64_decode,
    "Hash": fn.hash_value,
    "JsonMerge": fn.json_merge,
    "MathAdd": fn.math_add,
    "StringSplit": fn.string_split,
}
