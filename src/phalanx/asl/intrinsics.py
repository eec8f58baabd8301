"""Intrinsic functions as typed Python helpers that write ASL call text.

Arguments are Python values (quoted and escaped as ASL requires), paths made
with `path()`, or other intrinsic calls::

    States.Format("Hello {}", path("$.name"))   # "States.Format('Hello {}', $.name)"
    States.MathAdd(path("$.i"), 1)              # "States.MathAdd($.i, 1)"

The result is an `Expression`: used as a payload template value, its key gets
the `.$` suffix automatically.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal

from phalanx.asl.dynamic import Expression

Argument = Expression | str | int | float | bool | None


def _escape(text: str) -> str:
    """Backslash-escape the characters an intrinsic string literal reserves: ' { } \\."""
    return "".join("\\" + ch if ch in "'{}\\" else ch for ch in text)


def _template(text: str | Expression) -> str:
    """A `States.Format` template: `{}` stays a placeholder, everything else is escaped."""
    if isinstance(text, Expression):
        return str(text)
    return "'" + "{}".join(_escape(part) for part in text.split("{}")) + "'"


def _literal(value: Argument) -> str:
    if isinstance(value, Expression):
        return str(value)
    if isinstance(value, str):
        return f"'{_escape(value)}'"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"an intrinsic number must be finite, got {value!r}")
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text else text
    raise TypeError(f"an intrinsic argument must be a JSON scalar or path, got {value!r}")


def _call(name: str, *args: Argument) -> Expression:
    return Expression(f"States.{name}({', '.join(_literal(arg) for arg in args)})")


class States:
    """The 18 intrinsic functions, named as in ASL (`States.Format`, ...)."""

    @staticmethod
    def Format(template: str | Expression, *args: Argument) -> Expression:
        """Fill `{}` placeholders in `template` with `args`."""
        rest = ", ".join(_literal(arg) for arg in args)
        return Expression(f"States.Format({_template(template)}{', ' if args else ''}{rest})")

    @staticmethod
    def StringToJson(text: Argument) -> Expression:
        """Parse JSON text."""
        return _call("StringToJson", text)

    @staticmethod
    def JsonToString(value: Expression) -> Expression:
        """Serialise the value at a path to JSON text."""
        return _call("JsonToString", value)

    @staticmethod
    def Array(*items: Argument) -> Expression:
        """An array of the arguments."""
        return _call("Array", *items)

    @staticmethod
    def ArrayPartition(array: Argument, size: Argument) -> Expression:
        """Split `array` into chunks of `size`."""
        return _call("ArrayPartition", array, size)

    @staticmethod
    def ArrayContains(array: Argument, value: Argument) -> Expression:
        """Whether `array` contains `value`."""
        return _call("ArrayContains", array, value)

    @staticmethod
    def ArrayRange(start: Argument, end: Argument, step: Argument) -> Expression:
        """Integers from `start` to `end` inclusive, by `step`."""
        return _call("ArrayRange", start, end, step)

    @staticmethod
    def ArrayGetItem(array: Argument, index: Argument) -> Expression:
        """The item of `array` at `index`."""
        return _call("ArrayGetItem", array, index)

    @staticmethod
    def ArrayLength(array: Argument) -> Expression:
        """The length of `array`."""
        return _call("ArrayLength", array)

    @staticmethod
    def ArrayUnique(array: Argument) -> Expression:
        """`array` without duplicates, first occurrences kept."""
        return _call("ArrayUnique", array)

    @staticmethod
    def Base64Encode(text: Argument) -> Expression:
        """Base64 of `text`."""
        return _call("Base64Encode", text)

    @staticmethod
    def Base64Decode(text: Argument) -> Expression:
        """Decode base64 `text`."""
        return _call("Base64Decode", text)

    @staticmethod
    def Hash(value: Argument, algorithm: Argument) -> Expression:
        """Hex digest of `value` (MD5, SHA-1, SHA-256, SHA-384, SHA-512)."""
        return _call("Hash", value, algorithm)

    @staticmethod
    def JsonMerge(left: Argument, right: Argument, deep: bool = False) -> Expression:
        """Shallow-merge two objects (AWS supports only `deep=False`)."""
        return _call("JsonMerge", left, right, deep)

    @staticmethod
    def MathRandom(start: Argument, end: Argument, seed: Argument = None) -> Expression:
        """A random integer in [start, end), optionally seeded."""
        if seed is None:
            return _call("MathRandom", start, end)
        return _call("MathRandom", start, end, seed)

    @staticmethod
    def MathAdd(left: Argument, right: Argument) -> Expression:
        """The sum of two integers."""
        return _call("MathAdd", left, right)

    @staticmethod
    def StringSplit(text: Argument, separators: Argument) -> Expression:
        """Split `text` on any of the characters in `separators`."""
        return _call("StringSplit", text, separators)

    @staticmethod
    def UUID() -> Expression:
        """A random version 4 UUID."""
        return _call("UUID")
