"""JSONPath text -> steps: the dialect Step Functions accepts.

Step Functions evaluates paths with Jayway JsonPath, so this parser follows
Jayway's grammar rather than RFC 9535: `$.a.b`, `$['a b']`, `$.a[0]`, `$.a[-1]`,
`[*]`, `[0,2]`, `['a','b']`, slices `[1:3]`, deep scan `..`, filters
`[?(@.price < 10)]` and the function `length()`. On top of that AWS adds two
roots: `$$` (the context object) and `$name` (a variable set by `Assign`).

Three Jayway readings that published AWS samples rely on:

* blanks around the path are ignored (Jayway trims: `"$$.Execution.Name "`);
* a dot before a bracket is dropped: `$.[0]` is `$[0]`, `$.a.[0]` is `$.a[0]`
  (Jayway's `readDotToken` skips the dot and reads the next token);
* AWS accepts a definition whose filter has a bare word where a literal goes
  (`$.Labels[?(@.Name==Receipt)]`, aws-samples textract-analyze-expense) or
  that uses a script selector (`$[(@.length-1)]`), but Jayway cannot compile
  either: it reads a bare word as a number literal and fails (its own test
  `invalid_path_when_string_literal_is_unquoted`), and its path compiler has
  no script selector. So they parse here, into `BareWord` and `Script`, and
  `jsonpath.evaluate` fails with Jayway's message when the path runs.

Hand-written so that errors can quote the text and the offending position;
limits are constants so a hostile definition cannot make us recurse forever.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from phalanx.errors import QuerySyntaxError
from phalanx.query._scanning import DIGITS, Scanner

MAX_PATH_LENGTH = 10_000
"""Longest path text we parse (ASL strings are far shorter in practice)."""

MAX_FILTER_DEPTH = 32
"""Deepest nesting of parentheses / `!` / nested filters inside one filter."""

FUNCTIONS = ("length",)
"""Jayway path functions we support; others are refused at parse time."""

_BLANKS = " \t\r\n"
_NAME_STOP = frozenset(".[]()'\" \t\r\n")
_FILTER_NAME_STOP = _NAME_STOP | frozenset("=!<>&|,~")
_DIGITS = DIGITS
_NUMBER_CHARS = frozenset(_DIGITS + ".eE+")
_VARIABLE_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_VARIABLE_CHARS = _VARIABLE_START | frozenset("0123456789")
_BARE_WORD_STOP = _FILTER_NAME_STOP | frozenset("@$/{}:;?*")
_BARE_WORD_START_REFUSED = frozenset("-.+") | frozenset(_DIGITS)


@dataclass(frozen=True, slots=True)
class Field:
    """`.name` or `['name']` (one name), or `['a','b']` (several: indefinite)."""

    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Index:
    """`[0]`, `[-1]` (one index), or `[0,2]` (several: indefinite)."""

    indexes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Slice:
    """`[start:end]`, either bound optional, negative counts from the end."""

    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Wildcard:
    """`.*` or `[*]`: every member of an object or array."""


@dataclass(frozen=True, slots=True)
class DeepScan:
    """`..step`: `step` applied to the node and every descendant."""

    step: Step


@dataclass(frozen=True, slots=True)
class Filter:
    """`[?(...)]`: the members for which the predicate holds.

    `criteria` is the selector's text, `[?(` to `)]`, as Jayway quotes it.
    """

    predicate: Predicate
    criteria: str = ""


@dataclass(frozen=True, slots=True)
class Script:
    """`[(...)]`, e.g. `[(@.length-1)]`: accepted by AWS, not compilable by Jayway.

    `position` is where the `[` stands counting from a one-character `$` root,
    the position Jayway names in its error.
    """

    expression: str
    position: int


@dataclass(frozen=True, slots=True)
class Function:
    """`.length()` at the end of a path."""

    name: str


Step: TypeAlias = Field | Index | Slice | Wildcard | DeepScan | Filter | Script | Function


@dataclass(frozen=True, slots=True)
class RelativePath:
    """`@.a.b` (from the filtered member) or `$.a` (from the document root)."""

    absolute: bool
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Regex:
    pattern: str
    flags: str


@dataclass(frozen=True, slots=True)
class BareWord:
    """An unquoted word where a literal goes: `Receipt` in `[?(@.Name==Receipt)]`.

    Not a string to Jayway: it reads a number there. `position` counts from
    the `[` of the enclosing filter's `criteria`.
    """

    text: str
    position: int


Operand: TypeAlias = RelativePath | Literal | Regex | BareWord


@dataclass(frozen=True, slots=True)
class Comparison:
    """`left op right`; `op` is None for an existence test `[?(@.isbn)]`."""

    left: Operand
    op: str | None
    right: Operand | None


@dataclass(frozen=True, slots=True)
class Not:
    operand: Predicate


@dataclass(frozen=True, slots=True)
class BoolOp:
    """`&&` / `||` over two or more predicates."""

    op: str
    operands: tuple[Predicate, ...]


Predicate: TypeAlias = Comparison | Not | BoolOp

_OPERATORS = ("==", "!=", "<=", ">=", "=~", "<", ">")
_WORD_OPERATORS = ("in", "nin", "subsetof", "anyof", "noneof", "size", "empty")


def parse_steps(text: str) -> tuple[str, tuple[Step, ...]]:
    """Parse a whole path: returns (root, steps); root is `$`, `$$` or a variable name."""
    if len(text) > MAX_PATH_LENGTH:
        raise QuerySyntaxError(text, MAX_PATH_LENGTH, "path is longer than the limit")
    # Jayway trims the path first; the parser stops where the blanks start.
    end = len(text.rstrip(_BLANKS))
    parser = _Parser(text, start=len(text) - len(text.lstrip(_BLANKS)), end=end)
    root = parser.root()
    steps = parser.steps(in_filter=False)
    if not parser.at_end():
        raise parser.error("unexpected character")
    return root, steps


class _Parser(Scanner):
    def __init__(self, text: str, *, start: int = 0, end: int | None = None) -> None:
        super().__init__(text if end is None else text[:end], start)
        self.depth = 0
        # Where the current path's `$`/`@` stands, counted as one character
        # (`$$` and `$name` roots are one `$` to Jayway), and where the
        # innermost filter's `[` stands: Jayway's error positions count from them.
        self.path_base = start
        self.filter_base = 0

    # -- helpers ---------------------------------------------------------
    def error(self, message: str, position: int | None = None) -> QuerySyntaxError:
        where = self.pos if position is None else position
        if where < len(self.text):
            message = f"{message} {self.text[where]!r}"
        else:
            message = f"{message} (end of text)"
        return QuerySyntaxError(self.text, where, message)

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.error(f"expected {char!r}, found")
        self.pos += 1

    # -- roots and steps ---------------------------------------------------
    def root(self) -> str:
        if self.peek() != "$":
            raise self.error("a path must start with '$', found")
        self.pos += 1
        if self.peek() == "$":
            self.pos += 1
            self.path_base = self.pos - 1
            return "$$"
        if self.peek() in _VARIABLE_START and self.peek():
            start = self.pos
            self.skip(_VARIABLE_CHARS)
            self.path_base = self.pos - 1
            return self.text[start : self.pos]
        return "$"

    def steps(self, *, in_filter: bool) -> tuple[Step, ...]:
        steps: list[Step] = []
        while not self.at_end():
            char = self.peek()
            if char == ".":
                if steps and isinstance(steps[-1], Function):
                    raise self.error("nothing may follow a function call, found")
                steps.append(self.dot_step(in_filter))
            elif char == "[":
                if steps and isinstance(steps[-1], Function):
                    raise self.error("nothing may follow a function call, found")
                steps.append(self.bracket_step())
            else:
                break
        return tuple(steps)

    def dot_step(self, in_filter: bool) -> Step:
        self.pos += 1  # '.'
        if self.peek() == ".":
            self.pos += 1
            if self.peek() == "*":
                self.pos += 1
                return DeepScan(Wildcard())
            if self.peek() == "[":
                return DeepScan(self.bracket_step())
            return DeepScan(Field((self.name(in_filter),)))
        if self.peek() == "*":
            self.pos += 1
            return Wildcard()
        if self.peek() == "[":
            # `$.[0]` is `$[0]`: Jayway skips the dot and reads the bracket.
            return self.bracket_step()
        start = self.pos
        name = self.name(in_filter)
        if self.peek() == "(":
            self.pos += 1
            self.skip_spaces()
            self.expect(")")
            if name not in FUNCTIONS:
                raise QuerySyntaxError(self.text, start, f"unsupported path function {name!r}")
            return Function(name)
        return Field((name,))

    def name(self, in_filter: bool) -> str:
        stop = _FILTER_NAME_STOP if in_filter else _NAME_STOP
        start = self.pos
        while not self.at_end() and self.peek() not in stop:
            self.pos += 1
        if self.pos == start:
            raise self.error("expected a property name, found")
        return self.text[start : self.pos]

    def bracket_step(self) -> Step:
        open_at = self.pos
        self.pos += 1  # '['
        self.skip_spaces()
        char = self.peek()
        step: Step
        if char == "*":
            self.pos += 1
            step = Wildcard()
        elif char == "?":
            self.pos += 1
            self.skip_spaces()
            self.expect("(")
            outer_base, self.filter_base = self.filter_base, open_at
            predicate = self.predicate()
            self.filter_base = outer_base
            self.skip_spaces()
            self.expect(")")
            self.skip_spaces()
            step = Filter(predicate, self.text[open_at : self.pos + 1])
        elif char == "(":
            step = self.script(open_at)
        elif char in ("'", '"'):
            names = [self.quoted()]
            self.skip_spaces()
            while self.peek() == ",":
                self.pos += 1
                self.skip_spaces()
                if self.peek() not in ("'", '"') or not self.peek():
                    raise self.error("expected a quoted name, found")
                names.append(self.quoted())
                self.skip_spaces()
            step = Field(tuple(names))
        elif char and char in _DIGITS + ":-":
            step = self.index_or_slice()
        else:
            raise self.error("expected '*', '?', a quoted name or an index after '[', found")
        self.skip_spaces()
        if self.peek() != "]":
            raise self.error(f"unclosed '[' opened at position {open_at}, found")
        self.pos += 1
        return step

    def script(self, open_at: int) -> Script:
        """`[( ... )]`: balanced parentheses and brackets, quotes respected."""
        start = self.pos
        for char, depth in self.outside_quotes():
            if char in ")]" and depth == 0:
                break
            if char == ")" and depth == 1:
                self.pos += 1
                return Script(self.text[start : self.pos], open_at - self.path_base)
        raise QuerySyntaxError(self.text, open_at, f"unclosed script selector opened at {open_at}")

    def quoted(self) -> str:
        quote = self.peek()
        open_at = self.pos
        self.pos += 1
        out: list[str] = []
        while True:
            if self.at_end():
                raise QuerySyntaxError(self.text, open_at, "unterminated quoted name")
            char = self.peek()
            if char == quote:
                self.pos += 1
                return "".join(out)
            if char == "\\" and self.peek(1) == quote:
                # AWS keeps every other backslash as is: the path
                # $['Test\\""Name"'] reads the key Test\""Name" (corpus
                # scenarios/test_escape_sequence_parsing).
                out.append(quote)
                self.pos += 2
                continue
            out.append(char)
            self.pos += 1

    def integer(self) -> int:
        start = self.pos
        digits = self.skip_integer()
        if not digits:
            raise self.error("expected an integer, found", start)
        if digits > 10:
            raise QuerySyntaxError(self.text, start, "index is too large")
        return int(self.text[start : self.pos])

    def index_or_slice(self) -> Step:
        start: int | None = None
        if self.peek() != ":":
            start = self.integer()
            self.skip_spaces()
        if self.peek() == ":":
            self.pos += 1
            self.skip_spaces()
            end: int | None = None
            if self.peek() and self.peek() in _DIGITS + "-":
                end = self.integer()
                self.skip_spaces()
            if self.peek() == ":":
                raise self.error("slice steps are not supported, found")
            return Slice(start, end)
        assert start is not None
        indexes = [start]
        while self.peek() == ",":
            self.pos += 1
            self.skip_spaces()
            indexes.append(self.integer())
            self.skip_spaces()
        return Index(tuple(indexes))

    # -- filters ---------------------------------------------------------
    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_FILTER_DEPTH:
            raise self.error("filter nests deeper than the limit at")

    def predicate(self) -> Predicate:
        self.enter()
        operands = [self.conjunction()]
        self.skip_spaces()
        while self.text.startswith("||", self.pos):
            self.pos += 2
            operands.append(self.conjunction())
            self.skip_spaces()
        self.depth -= 1
        return operands[0] if len(operands) == 1 else BoolOp("||", tuple(operands))

    def conjunction(self) -> Predicate:
        operands = [self.unary()]
        self.skip_spaces()
        while self.text.startswith("&&", self.pos):
            self.pos += 2
            operands.append(self.unary())
            self.skip_spaces()
        return operands[0] if len(operands) == 1 else BoolOp("&&", tuple(operands))

    def unary(self) -> Predicate:
        self.skip_spaces()
        if self.peek() == "!" and self.peek(1) != "=":
            self.pos += 1
            self.enter()
            operand = self.unary()
            self.depth -= 1
            return Not(operand)
        if self.peek() == "(":
            self.pos += 1
            inner = self.predicate()
            self.skip_spaces()
            self.expect(")")
            return inner
        return self.comparison()

    def comparison(self) -> Comparison:
        left = self.operand()
        self.skip_spaces()
        for op in _OPERATORS:
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                self.skip_spaces()
                return Comparison(left, op, self.operand())
        for word in _WORD_OPERATORS:
            end = self.pos + len(word)
            if self.text.startswith(word, self.pos) and self.text[end : end + 1] in (" ", "["):
                raise QuerySyntaxError(self.text, self.pos, f"unsupported filter operator {word!r}")
        if not isinstance(left, RelativePath):
            raise self.error("expected a comparison operator, found")
        return Comparison(left, None, None)

    def operand(self) -> Operand:
        self.skip_spaces()
        char = self.peek()
        if char in ("@", "$"):
            absolute = char == "$"
            outer_base, self.path_base = self.path_base, self.pos
            self.pos += 1
            steps = self.steps(in_filter=True)
            self.path_base = outer_base
            return RelativePath(absolute, steps)
        if char in ("'", '"'):
            return Literal(self.quoted())
        if char == "/":
            return self.regex()
        if char and char in _DIGITS + "-":
            return Literal(self.number())
        word = self.bare_word()
        for keyword, value in (("true", True), ("false", False), ("null", None)):
            if word == keyword:
                return Literal(value)
        if word:
            return BareWord(word, self.pos - len(word) - self.filter_base)
        raise self.error("expected a filter operand, found")

    def bare_word(self) -> str:
        """An unquoted word (`true`, `Receipt`), or "" if none starts here."""
        start = self.pos
        if self.peek() in _BARE_WORD_START_REFUSED:
            return ""
        while not self.at_end() and self.peek() not in _BARE_WORD_STOP:
            self.pos += 1
        return self.text[start : self.pos]

    def number(self) -> int | float:
        start = self.pos
        if self.peek() == "-":
            self.pos += 1
        while self.peek() and self.peek() in _NUMBER_CHARS:
            if self.peek() == "+" and self.text[self.pos - 1] not in ("e", "E"):
                break
            self.pos += 1
        text = self.text[start : self.pos]
        try:
            value = float(text)
        except ValueError:
            raise QuerySyntaxError(self.text, start, f"bad number {text!r}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise QuerySyntaxError(self.text, start, f"bad number {text!r}")
        if all(c in _DIGITS or c == "-" for c in text) and len(text) < 19:
            return int(text)
        return value

    def regex(self) -> Regex:
        open_at = self.pos
        self.pos += 1
        out: list[str] = []
        while True:
            if self.at_end():
                raise QuerySyntaxError(self.text, open_at, "unterminated regular expression")
            char = self.peek()
            if char == "\\" and self.peek(1) == "/":
                out.append("/")
                self.pos += 2
                continue
            if char == "/":
                self.pos += 1
                break
            out.append(char)
            self.pos += 1
        flags_at = self.pos
        self.skip("imsux")
        return Regex("".join(out), self.text[flags_at : self.pos])
