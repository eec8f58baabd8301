"""Request shapes as the Step Functions model declares them, and the check AWS runs on input.

AWS checks a request against its model before the operation sees it, and
answers in two ways, both reproduced here:

- a value of the wrong JSON type is a `SerializationException`
  (`STRING_VALUE can not be converted to an Integer`);
- a value breaking a constraint (length, range, enum, pattern, a missing
  required member) is a `ValidationException` listing every violation::

      2 validation errors detected: Value 'x' at 'type' failed to satisfy constraint:
      Member must satisfy enum value set: [STANDARD, EXPRESS]; Value null at 'name' ...

Members the model does not know are ignored, as AWS does; `null` counts as absent.
The limits are those of botocore's `stepfunctions/2016-11-23/service-2.json`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from phalanx.api.errors import serialization, shorten, validation

Kind = Literal["string", "integer", "boolean", "structure", "list"]


@dataclass(frozen=True, slots=True)
class Shape:
    """One node of a request's model; build with `string()`, `integer()`, `structure()`, ..."""

    kind: Kind
    min: int | None = None
    max: int | None = None
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    members: Mapping[str, Shape] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    member: Shape | None = None


def string(
    min: int | None = None,
    max: int | None = None,
    *,
    enum: tuple[str, ...] = (),
    pattern: str | None = None,
) -> Shape:
    return Shape("string", min, max, enum, pattern)


def integer(min: int | None = None, max: int | None = None) -> Shape:
    return Shape("integer", min, max)


def boolean() -> Shape:
    return Shape("boolean")


def structure(required: tuple[str, ...] = (), **members: Shape) -> Shape:
    return Shape("structure", members=members, required=frozenset(required))


def list_of(member: Shape, min: int | None = None, max: int | None = None) -> Shape:
    return Shape("list", min, max, member=member)


# The model's shared shapes, by their model names.
NAME = string(1, 80)
ARN = string(1, 256)
LONG_ARN = string(1, 2000)
DEFINITION = string(1, 1_048_576)
STATE_MACHINE_TYPE = string(enum=("STANDARD", "EXPRESS"))
PAGE_SIZE = integer(0, 1000)
PAGE_TOKEN = string(1, 1024)
VERSION_DESCRIPTION = string(max=256)
TAG_KEY = string(1, 128)
TAG_LIST = list_of(structure(key=TAG_KEY, value=string(0, 256)))
TAG_KEY_LIST = list_of(TAG_KEY)
LOGGING_CONFIGURATION = structure(
    level=string(enum=("ALL", "ERROR", "FATAL", "OFF")),
    includeExecutionData=boolean(),
    destinations=list_of(structure(cloudWatchLogsLogGroup=structure(logGroupArn=ARN))),
)
TRACING_CONFIGURATION = structure(enabled=boolean())
ENCRYPTION_CONFIGURATION = structure(
    ("type",),
    kmsKeyId=string(1, 2048),
    kmsDataKeyReusePeriodSeconds=integer(60, 900),
    type=string(enum=("AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY")),
)

_CAN_NOT_BE_CONVERTED = {"string": "a String", "integer": "an Integer", "boolean": "a Boolean"}


def check(shape: Shape, request: Mapping[str, Any]) -> dict[str, Any]:
    """The request without its nulls, or the AWS error it deserves."""
    problems: list[str] = []
    cleaned = _check(shape, request, "", problems)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise validation(f"{count} validation {noun} detected: " + "; ".join(problems))
    assert isinstance(cleaned, dict)
    return cleaned


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> Any:
    _require_kind(shape, value)
    if shape.kind == "structure":
        cleaned: dict[str, Any] = {}
        for name, member in shape.members.items():
            member_path = f"{path}.{name}" if path else name
            if value.get(name) is None:
                if name in shape.required:
                    problems.append(_violation(None, member_path, "Member must not be null"))
                continue
            cleaned[name] = _check(member, value[name], member_path, problems)
        return cleaned
    if shape.kind == "list":
        assert shape.member is not None
        _length(shape, value, path, problems)
        return [
            _check(shape.member, item, f"{path}.{index}.member", problems)
            for index, item in enumerate(value, start=1)
            if item is not None
        ]
    if shape.kind == "string":
        _length(shape, value, path, problems)
        if shape.enum and value not in shape.enum:
            constraint = f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
            problems.append(_violation(value, path, constraint))
        if shape.pattern is not None and not re.fullmatch(_python_pattern(shape.pattern), value):
            constraint = f"Member must satisfy regular expression pattern: {shape.pattern}"
            problems.append(_violation(value, path, constraint))
    if shape.kind == "integer":
        if shape.min is not None and value < shape.min:
            constraint = f"Member must have value greater than or equal to {shape.min}"
            problems.append(_violation(value, path, constraint))
        if shape.max is not None and value > shape.max:
            constraint = f"Member must have value less than or equal to {shape.max}"
            problems.append(_violation(value, path, constraint))
        return int(value)
    return value


def _python_pattern(pattern: str) -> str:
    """The model's patterns are Java's: `\\p{ASCII}` is spelt as a range in Python."""
    return pattern.replace(r"\p{ASCII}", r"[\x00-\x7f]")


def _require_kind(shape: Shape, value: Any) -> None:
    if shape.kind == "structure" and isinstance(value, dict):
        return
    if shape.kind == "list" and isinstance(value, list):
        return
    if shape.kind == "string" and isinstance(value, str):
        return
    if shape.kind == "boolean" and isinstance(value, bool):
        return
    if shape.kind == "integer" and _is_integer(value):
        return
    if isinstance(value, dict):
        raise serialization("Start of structure or map found where not expected.")
    if isinstance(value, list):
        raise serialization("Start of list found where not expected")
    found = (
        "TRUE_VALUE"
        if value is True
        else "FALSE_VALUE"
        if value is False
        else "STRING_VALUE"
        if isinstance(value, str)
        else "NUMBER_VALUE"
    )
    wanted = _CAN_NOT_BE_CONVERTED.get(shape.kind, f"a {shape.kind}")
    raise serialization(f"{found} can not be converted to {wanted}")


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _length(shape: Shape, value: str | list[Any], path: str, problems: list[str]) -> None:
    if shape.min is not None and len(value) < shape.min:
        constraint = f"Member must have length greater than or equal to {shape.min}"
        problems.append(_violation(value, path, constraint))
    if shape.max is not None and len(value) > shape.max:
        constraint = f"Member must have length less than or equal to {shape.max}"
        problems.append(_violation(value, path, constraint))


def _violation(value: object, path: str, constraint: str) -> str:
    shown = (
        "null"
        if value is None
        else f"'{shorten(value if isinstance(value, str) else _show(value))}'"
    )
    return f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"


def _show(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_show(v)}" for k, v in value.items()) + "}"
    return str(value)
