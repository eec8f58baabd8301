"""STOP-GAP JSONata syntax check: a tokenizer and a Pratt parser that builds nothing.

Used by `expressions.py` only while `phalanx.query.jsonata` has not landed;
delete it then. It follows the operator table of the JSONata reference
parser (binding powers below) and reports the first token that cannot
appear where it stands, e.g. `10 + * 2`, `420.`, an unclosed `(`, or a
JSONPath filter `[?(@.x)]`.
"""

from __future__ import annotations

import re

_MAX_LENGTH = 100_000

_INFIX: dict[str, int] = {
    ".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0, "@": 80, "#": 80,
    ";": 0, ":": 0, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "|": 20, "=": 40,
    "<": 40, ">": 40, "^": 40, "**": 60, "..": 20, ":=": 10, "!=": 40, "<=": 40, ">=": 40,
    "~>": 40, "??": 20, "?:": 20, "and": 30, "or": 25, "in": 40, "&": 50,
}  # fmt: skip

_OPERATORS = sorted((op for op in _INFIX if not op.isalpha()), key=len, reverse=True)
_NUMBER = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?")
_NAME_END = set(" \t\n\r.[]{}()@#,;:?+-*/%|=<>^&!~\"'`$")


class _Bad(Exception):
    def __init__(self, message: str, position: int) -> None:
        self.message = f"{message} at position {position}"


def syntax_error(expr: str) -> str | None:
    if len(expr) > _MAX_LENGTH:
        return "expression too long"
    try:
        tokens = _tokenize(expr)
        parser = _Parser(tokens)
        parser.expression(0)
        kind, value, pos = parser.peek()
        if kind != "end":
            raise _Bad(f"unexpected {value!r}", pos)
    except _Bad as exc:
        return exc.message
    except RecursionError:
        return "expression nested too deeply"
    return None


def _tokenize(s: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c in " \t\n\r":
            i += 1
            continue
        if s.startswith("/*", i):
            end = s.find("*/", i + 2)
            if end < 0:
                raise _Bad("unclosed comment", i)
            i = end + 2
            continue
        if c in "\"'":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == "\\" else 1
            if j >= n:
                raise _Bad("unterminated string", i)
            out.append(("string", s[i : j + 1], i))
            i = j + 1
            continue
        if c == "`":
            j = s.find("`", i + 1)
            if j < 0:
                raise _Bad("unterminated name", i)
            out.append(("name", s[i : j + 1], i))
            i = j + 1
            continue
        m = _NUMBER.match(s, i)
        if m and c.isdigit():
            out.append(("number", m.group(0), i))
            i = m.end()
            continue
        if c == "/" and _expects_operand(out):
            j = i + 1
            while j < n and s[j] != "/":
                j += 2 if s[j] == "\\" else 1
            if j >= n:
                raise _Bad("unterminated regular expression", i)
            j += 1
            while j < n and s[j] in "imgsx":
                j += 1
            out.append(("regex", s[i:j], i))
            i = j
            continue
        if c == "$":
            j = i + 1
            if j < n and s[j] == "$":
                j += 1
            while j < n and s[j] not in _NAME_END:
                j += 1
            out.append(("variable", s[i:j], i))
            i = j
            continue
        op = next((o for o in _OPERATORS if s.startswith(o, i)), None)
        if op is not None:
            out.append(("operator", op, i))
            i += len(op)
            continue
        if c in "!~":
            raise _Bad(f"unexpected {c!r}", i)
        j = i
        while j < n and s[j] not in _NAME_END:
            j += 1
        word = s[i:j]
        if word in ("and", "or", "in"):
            out.append(("operator", word, i))
        elif word in ("true", "false", "null"):
            out.append(("value", word, i))
        else:
            out.append(("name", word, i))
        i = j
    out.append(("end", "", n))
    return out


def _expects_operand(tokens: list[tuple[str, str, int]]) -> bool:
    if not tokens:
        return True
    kind, value, _ = tokens[-1]
    return kind == "operator" and value not in (")", "]", "}")


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def advance(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        if tok[0] != "end":
            self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, v, pos = self.advance()
        if kind != "operator" or v != value:
            raise _Bad(f"expected {value!r}, got {v or 'end of expression'!r}", pos)

    def at(self, value: str) -> bool:
        kind, v, _ = self.peek()
        return kind == "operator" and v == value

    def expression(self, rbp: int) -> None:
        self.nud(self.advance())
        while True:
            kind, value, _ = self.peek()
            if kind != "operator" or _INFIX.get(value, 0) <= rbp:
                return
            self.advance()
            self.led(value)

    def nud(self, tok: tuple[str, str, int]) -> None:
        kind, value, pos = tok
        if kind in ("string", "number", "name", "variable", "value", "regex"):
            if kind == "name" and value in ("function", "λ") and self.at("("):
                self.lambda_()
            return
        if kind == "end":
            raise _Bad("unexpected end of expression", pos)
        if value in ("and", "or", "in"):  # field names that look like operators
            return
        if value == "-":
            self.expression(70)
        elif value in ("*", "**", "%"):
            return
        elif value == "(":
            self.sequence(";", ")")
        elif value == "[":
            self.sequence(",", "]")
        elif value == "{":
            self.object_()
        else:
            raise _Bad(f"unexpected {value!r}", pos)

    def led(self, op: str) -> None:
        if op == "(":
            self.arguments()
        elif op == "[":
            if self.at("]"):
                self.advance()
                return
            self.expression(0)
            self.expect("]")
        elif op == "{":
            self.object_()
        elif op == "^":
            self.expect("(")
            while True:
                if self.at("<") or self.at(">"):
                    self.advance()
                self.expression(0)
                if self.at(","):
                    self.advance()
                    continue
                self.expect(")")
                return
        elif op in ("@", "#"):
            kind, value, pos = self.advance()
            if kind != "variable":
                raise _Bad(f"expected a variable after {op!r}, got {value!r}", pos)
        elif op == "?":
            self.expression(0)
            if self.at(":"):
                self.advance()
                self.expression(0)
        elif op == ":=":
            self.expression(_INFIX[op] - 1)
        else:
            self.expression(_INFIX[op])

    def sequence(self, separator: str, close: str) -> None:
        if self.at(close):
            self.advance()
            return
        while True:
            self.expression(0)
            if self.at(separator):
                self.advance()
                if separator == ";" and self.at(close):
                    self.advance()
                    return
                continue
            self.expect(close)
            return

    def arguments(self) -> None:
        if self.at(")"):
            self.advance()
            return
        while True:
            if self.at("?"):
                self.advance()  # partial application placeholder
            else:
                self.expression(0)
            if self.at(","):
                self.advance()
                continue
            self.expect(")")
            return

    def object_(self) -> None:
        if self.at("}"):
            self.advance()
            return
        while True:
            self.expression(0)
            self.expect(":")
            self.expression(0)
            if self.at(","):
                self.advance()
                continue
            self.expect("}")
            return

    def lambda_(self) -> None:
        self.expect("(")
        if not self.at(")"):
            while True:
                kind, value, pos = self.advance()
                if kind != "variable":
                    raise _Bad(f"expected a parameter, got {value!r}", pos)
                if self.at(","):
                    self.advance()
                    continue
                break
        self.expect(")")
        if self.at("<"):  # type signature
            depth = 0
            while True:
                kind, value, pos = self.advance()
                if kind == "end":
                    raise _Bad("unclosed signature", pos)
                if value == "<":
                    depth += 1
                elif value == ">":
                    depth -= 1
                    if depth == 0:
                        break
        self.expect("{")
        self.expression(0)
        self.expect("}")
