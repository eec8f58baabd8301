"""Intrinsic function text -> call tree.

    States.Format('Hello {}', States.ArrayGetItem($.names, 0))

Arguments are string literals in single quotes, numbers, `true`, `false`,
`null`, JSONPaths (`$.x`, `$$.x`, `$var.x`) and nested calls. In a string
literal the reserved characters `'`, `{`, `}` and `\\` are escaped with a
backslash; AWS documents that any other ("open") escape is an error.

The function table (names and arities) lives here so that a definition with
an unknown function or a wrong argument count is refused before it runs, as
AWS refuses it when the state machine is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from phalanx.errors import QuerySyntaxError
from phalanx.query import jsonpath
from phalanx.query._scanning import DIGITS, Scanner

MAX_TEXT_LENGTH = 10_000
"""Longest intrinsic expression we parse."""

MAX_CALLS = 10
"""AWS: "You can nest up to 10 intrinsic functions within a field"."""

PREFIX = "States."

# name -> (minimum, maximum) argument count; maximum None = unbounded.
ARITY: dict[str, tuple[int, int | None]] = {
    "Format": (1, None),
    "StringToJson": (1, 1),
    "JsonToString": (1, 1),
    "Array": (0, None),
    "ArrayPartition": (2, 2),
    "ArrayContains": (2, 2),
    "ArrayRange": (3, 3),
    "ArrayGetItem": (2, 2),
    "ArrayLength": (1, 1),
    "ArrayUnique": (1, 1),
    "Base64Encode": (1, 1),
    "Base64Decode": (1, 1),
    "Hash": (2, 2),
    "JsonMerge": (3, 3),
    "MathRandom": (2, 3),
    "MathAdd": (2, 2),
    "StringSplit": (2, 2),
    "UUID": (0, 0),
}


@dataclass(frozen=True, slots=True)
class StringArg:
    """A quoted literal. `value` has escapes resolved; `raw` keeps them.

    `States.Format` needs `raw` to tell a placeholder `{}` from an escaped `\\{`.
    """

    value: str
    raw: str


@dataclass(frozen=True, slots=True)
class LiteralArg:
    """A number, `true`, `false` or `null`."""

    value: Any


@dataclass(frozen=True, slots=True)
class PathArg:
    path: jsonpath.JsonPath


@dataclass(frozen=True, slots=True)
class Intrinsic:
    """`States.<name>(args...)`; `text` is the source of this call."""

    name: str
    args: tuple[Argument, ...]
    text: str


Argument: TypeAlias = StringArg | LiteralArg | PathArg | Intrinsic

_ESCAPABLE = frozenset("'{}\\")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def parse_call(text: str) -> Intrinsic:
    if not isinstance(text, str):
        raise QuerySyntaxError(str(text), 0, "an intrinsic function must be a string")
    if len(text) > MAX_TEXT_LENGTH:
        raise QuerySyntaxError(text, MAX_TEXT_LENGTH, "intrinsic function is longer than the limit")
    parser = _Parser(text)
    call = parser.call()
    parser.skip_spaces()
    if parser.pos != len(text):
        raise parser.error("unexpected text after the call:")
    return call


class _Parser(Scanner):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.calls = 0

    def error(self, message: str, position: int | None = None) -> QuerySyntaxError:
        where = self.pos if position is None else position
        found = repr(self.text[where]) if where < len(self.text) else "end of text"
        return QuerySyntaxError(self.text, where, f"{message} {found}")

    def call(self) -> Intrinsic:
        start = self.pos
        if not self.text.startswith(PREFIX, self.pos):
            raise self.error("expected an intrinsic function 'States.<Name>(...)', found")
        self.calls += 1
        if self.calls > MAX_CALLS:
            raise QuerySyntaxError(
                self.text, start, f"more than {MAX_CALLS} intrinsic functions in one field"
            )
        self.pos += len(PREFIX)
        name_at = self.pos
        self.skip(_NAME_CHARS)
        name = self.text[name_at : self.pos]
        if name not in ARITY:
            raise QuerySyntaxError(self.text, start, f"unknown intrinsic function 'States.{name}'")
        if self.peek() != "(":
            raise self.error(f"expected '(' after 'States.{name}', found")
        self.pos += 1
        args: list[Argument] = []
        self.skip_spaces()
        if self.peek() == ")":
            self.pos += 1
        else:
            while True:
                args.append(self.argument())
                self.skip_spaces()
                if self.peek() == ",":
                    self.pos += 1
                    continue
                if self.peek() == ")":
                    self.pos += 1
                    break
                raise self.error(f"expected ',' or ')' in 'States.{name}', found")
        low, high = ARITY[name]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = (
                str(low)
                if low == high
                else f"at least {low}"
                if high is None
                else f"{low} to {high}"
            )
            raise QuerySyntaxError(
                self.text,
                start,
                f"States.{name} takes {wanted} argument(s), {len(args)} given",
            )
        return Intrinsic(name, tuple(args), self.text[start : self.pos])

    def argument(self) -> Argument:
        self.skip_spaces()
        char = self.peek()
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if self.text.startswith(PREFIX, self.pos):
            return self.call()
        if char and char in "-0123456789":
            return self.number()
        for word, value in (("true", True), ("false", False), ("null", None)):
            end = self.pos + len(word)
            if self.text.startswith(word, self.pos) and not (
                self.text[end : end + 1] and self.text[end] in _NAME_CHARS
            ):
                self.pos = end
                return LiteralArg(value)
        raise self.error("expected an argument (string, number, path or call), found")

    def string(self) -> StringArg:
        open_at = self.pos
        self.pos += 1
        value: list[str] = []
        while True:
            char = self.peek()
            if not char:
                raise QuerySyntaxError(self.text, open_at, "unterminated string literal")
            if char == "'":
                raw = self.text[open_at + 1 : self.pos]
                self.pos += 1
                return StringArg("".join(value), raw)
            if char == "\\":
                escaped = self.text[self.pos + 1 : self.pos + 2]
                if escaped not in _ESCAPABLE or not escaped:
                    raise self.error("open escape: only \\' \\{ \\} \\\\ are allowed, found")
                value.append(escaped)
                self.pos += 2
                continue
            value.append(char)
            self.pos += 1

    def number(self) -> LiteralArg:
        start = self.pos
        if not self.skip_integer():
            raise self.error("expected a number, found", start)
        is_float = False
        if self.peek() == ".":
            is_float = True
            self.pos += 1
            if not self.skip(DIGITS):
                raise self.error("expected digits after '.', found")
        if self.peek() and self.peek() in "eE":
            is_float = True
            self.pos += 1
            if self.peek() and self.peek() in "+-":
                self.pos += 1
            if not self.skip(DIGITS):
                raise self.error("expected an exponent, found")
        text = self.text[start : self.pos]
        value: int | float = float(text) if is_float else int(text)
        if isinstance(value, float) and value in (float("inf"), float("-inf")):
            raise QuerySyntaxError(self.text, start, f"number {text!r} is out of range")
        return LiteralArg(value)

    def path(self) -> PathArg:
        """A path runs to the next ',' or ')' outside brackets, quotes and parentheses."""
        start = self.pos
        for char, depth in self.outside_quotes():
            if depth == 0 and char in "]),":
                break
        source = self.text[start : self.pos].rstrip(" \t\r\n")
        try:
            return PathArg(jsonpath.parse(source))
        except QuerySyntaxError as error:
            raise QuerySyntaxError(self.text, start + error.position, error.message) from None
