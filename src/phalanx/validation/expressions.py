"""The one seam between the validator and the query parsers of `phalanx.query`.

Every syntax question the rules ask (is this a JSONPath? a reference path?
a well-formed intrinsic call? a JSONata expression?) goes through the
functions below, which answer with an error message or `None`, so the rules
never see a parser's exception or tree.

The JSONPath parser accepts what AWS accepts in a definition, including the
Jayway readings published AWS samples deploy (`$.[0]`, blanks around a path,
a bare word in a filter, a script selector: see `phalanx.query._jsonpath_syntax`).
Two things are the validator's own, on top of the parsers:

- Blanks around an intrinsic function call are ignored, as around a path.
- Literal argument types of intrinsic functions (`States.MathAdd(1, '-1')`):
  a literal of the wrong JSON type can never work, whatever the input.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from phalanx.errors import QuerySyntaxError
from phalanx.query import intrinsics, jsonata, jsonpath

_PLACEHOLDER = re.compile(r"\$\{[^{}]+\}")

# Argument positions (0-based) that must be numbers, or strings, when given as literals.
_NUMERIC_ARGS: dict[str, tuple[int, ...]] = {
    "MathAdd": (0, 1),
    "MathRandom": (0, 1, 2),
    "ArrayRange": (0, 1, 2),
    "ArrayPartition": (1,),
    "ArrayGetItem": (1,),
}
_STRING_ARGS: dict[str, tuple[int, ...]] = {
    "Format": (0,),
    "StringSplit": (0, 1),
    "Hash": (1,),
    "Base64Encode": (0,),
    "Base64Decode": (0,),
    "StringToJson": (0,),
}


def has_placeholder(value: object) -> bool:
    """True for a string holding a deploy-time `${...}` substitution token."""
    return isinstance(value, str) and _PLACEHOLDER.search(value) is not None


def is_jsonata(value: object) -> bool:
    """True for a string written as a JSONata expression: `{% ... %}`."""
    return jsonata.is_expression(value)


def is_intrinsic(text: str) -> bool:
    """True when `text` calls an intrinsic function (`States.Format(...)`)."""
    return intrinsics.is_intrinsic(text.lstrip())


@functools.lru_cache(maxsize=4096)
def jsonpath_error(text: str, *, reference: bool = False) -> str | None:
    """Why `text` is not a JSONPath (a *reference* path when asked), or None.

    Variables (`$name`) and the context object (`$$`) are allowed here; the
    caller forbids them where AWS does.
    """
    try:
        parsed = jsonpath.parse(text)
    except QuerySyntaxError as exc:
        return exc.message + f" at position {exc.position}"
    if reference and not parsed.is_definite:
        return (
            "a reference path selects one field or index at a time "
            "(no wildcards, filters, slices or '..')"
        )
    return None


@functools.lru_cache(maxsize=4096)
def intrinsic_error(text: str) -> str | None:
    """Why `text` is not a valid intrinsic function call, or None."""
    try:
        tree = intrinsics.parse(text.strip())
    except QuerySyntaxError as exc:
        return exc.message + f" at position {exc.position}"
    return _argument_types(tree)


def _argument_types(call: Any) -> str | None:
    """The first literal argument of the wrong type, in `call` or a nested call."""
    name = getattr(call, "name", "")
    for position, arg in enumerate(getattr(call, "args", ())):
        kind = type(arg).__name__
        if kind == "Intrinsic":
            problem = _argument_types(arg)
            if problem:
                return problem
            continue
        literal = "string" if kind == "StringArg" else None
        if kind == "LiteralArg":
            value = getattr(arg, "value", None)
            literal = (
                "null" if value is None else "boolean" if isinstance(value, bool) else "number"
            )
        if literal is None:
            continue  # a path: its type is only known when the machine runs
        if position in _NUMERIC_ARGS.get(name, ()) and literal != "number":
            return f"States.{name} argument {position + 1} must be a number, got a {literal}"
        if position in _STRING_ARGS.get(name, ()) and literal != "string":
            return f"States.{name} argument {position + 1} must be a string, got a {literal}"
    return None


@functools.lru_cache(maxsize=4096)
def jsonata_error(value: str) -> str | None:
    """Why the `{% ... %}` string `value` holds no valid JSONata, or None."""
    try:
        jsonata.check_syntax(jsonata.strip(value))
    except QuerySyntaxError as exc:
        return exc.message + f" at position {exc.position}"
    return None
