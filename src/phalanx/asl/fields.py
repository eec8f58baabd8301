"""How a model field maps to its ASL key, and what JSON it accepts.

Every model dataclass declares its ASL fields with `asl_field`, so reading and
writing JSON is one generic walk (see `codec.py`) instead of a hand-written
pair of functions per state type. Unknown keys never fail here: they land in
the dataclass's `extra` mapping and are written back unchanged, so a
definition survives the round trip even when it holds fields this version
does not know (the validator reports them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from phalanx.errors import DefinitionError

JSON = Any
"""Any JSON value: dict, list, str, int, float, bool or None."""


class Null(Enum):
    """The type of `NULL`."""

    NULL = "null"

    def __repr__(self) -> str:
        return "NULL"


NULL = Null.NULL
"""A field explicitly set to JSON `null`, as opposed to a field left out (`None`).

The difference matters: `"ResultPath": null` discards a state's result, while
no `ResultPath` puts the result in place of the input. `DISCARD` is the same
value under the name that reads best for paths.
"""

DISCARD = NULL


class Kind(Enum):
    """The JSON shapes a field accepts when read from ASL."""

    STRING = "a string"
    PATH = "a string or null"
    NUMBER = "a number or a string (JSONata expression or ${...} placeholder)"
    BOOLEAN = "a boolean"
    OBJECT = "an object"
    OBJECT_OR_STRING = "an object or a string (JSONata expression)"
    STRING_LIST = "an array of strings"
    ANY = "any JSON value"
    NESTED = "nested"  # decoded by the codec into model objects


def asl_field(
    key: str,
    kind: Kind = Kind.ANY,
    *,
    default: Any = None,
    kw_only: bool = True,
    nested: str | None = None,
    required: bool = False,
    only: str | None = None,
) -> Any:
    """Declare a dataclass field that maps to the ASL key `key`.

    `nested` names the codec that reads the value into model objects;
    `required` makes a definition without the key unreadable; `only` is the
    query language (`"JSONPath"` or `"JSONata"`) that alone allows the field.
    """
    metadata = {"asl": key, "kind": kind, "nested": nested, "required": required, "only": only}
    if isinstance(default, dict):
        return dataclasses.field(
            default_factory=lambda: dict(default), kw_only=kw_only, metadata=metadata
        )
    return dataclasses.field(default=default, kw_only=kw_only, metadata=metadata)


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    """What `asl_field` declared for one dataclass field."""

    attr: str
    key: str
    kind: Kind
    nested: str | None
    required: bool
    only: str | None


def field_specs(cls: type) -> tuple[FieldSpec, ...]:
    """The ASL fields a model class declares, in declaration order.

    The one table of which keys each state type (and machine, branch, rule)
    has: the codec reads and writes by it, the validator checks by it.
    """
    return tuple(
        FieldSpec(
            f.name,
            f.metadata["asl"],
            f.metadata["kind"],
            f.metadata["nested"],
            f.metadata["required"],
            f.metadata["only"],
        )
        for f in dataclasses.fields(cls)
        if "asl" in f.metadata
    )


def asl_keys(cls: type, query_language: str | None = None) -> frozenset[str]:
    """The ASL keys of `cls`; with `query_language`, only those it allows."""
    return frozenset(
        spec.key
        for spec in field_specs(cls)
        if query_language is None or spec.only in (None, query_language)
    )


def extra_field() -> Any:
    """The `extra` field: keys the model does not know, kept verbatim."""
    return dataclasses.field(default_factory=dict, kw_only=True, compare=True, repr=False)


def pointer(location: str, key: str | int) -> str:
    """Extend a JSON pointer by one step, escaping `~` and `/` (RFC 6901)."""
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{location}/{token}"


def json_type(value: JSON) -> str:
    """The JSON type name AWS uses in messages: `object`, `array`, `string`...

    Here rather than in `phalanx.query` (which re-exports it) because a
    deployed function's bundle ships `asl` without `query`.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


_WITH_ARTICLE = {"boolean": "a boolean", "number": "a number", "string": "a string"}
_WITH_ARTICLE |= {"array": "an array", "object": "an object"}


def _describe(value: JSON) -> str:
    name = json_type(value)
    return _WITH_ARTICLE.get(name, name)


def is_number(value: JSON) -> bool:
    """A JSON number: an int or float, not a bool (which Python counts as an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


_ACCEPTS: dict[Kind, Callable[[JSON], bool]] = {
    Kind.STRING: lambda v: isinstance(v, str),
    Kind.PATH: lambda v: v is NULL or isinstance(v, str),
    Kind.NUMBER: lambda v: is_number(v) or isinstance(v, str),
    Kind.BOOLEAN: lambda v: isinstance(v, bool),
    Kind.OBJECT: lambda v: isinstance(v, dict),
    Kind.OBJECT_OR_STRING: lambda v: isinstance(v, dict | str),
    Kind.STRING_LIST: lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    Kind.ANY: lambda v: True,
}


def check_kind(kind: Kind, value: JSON, location: str) -> None:
    """Raise `DefinitionError` unless `value` has the JSON shape `kind` accepts."""
    if not _ACCEPTS[kind](value):
        raise DefinitionError(location, f"expected {kind.value}, got {_describe(value)}")


def expect_object(value: JSON, location: str, what: str) -> Mapping[str, JSON]:
    """Return `value` if it is a JSON object, else raise naming `what` it should be."""
    if not isinstance(value, dict):
        raise DefinitionError(location, f"{what} must be an object, got {_describe(value)}")
    return value


def expect_array(value: JSON, location: str, what: str) -> list[JSON]:
    """Return `value` if it is a JSON array, else raise naming `what` it should be."""
    if not isinstance(value, list):
        raise DefinitionError(location, f"{what} must be an array, got {_describe(value)}")
    return value
