"""JSON pointers placed in the text they came from: `/States/A/Next` -> (line, column).

Diagnostics name JSON pointers; people read files. These scanners map every
pointer of a JSON or YAML text to where its value starts, so a message can
be printed at `file:line:col`.
"""

from __future__ import annotations

import bisect
import contextlib
import json
from typing import Any

from phalanx.loading.locations import Position

MAX_DEPTH = 500
"""Deeper JSON is left unmapped below this depth (the validator reports it)."""


def _token(key: str) -> str:
    """A key escaped as one JSON pointer token (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


class _JsonScanner:
    """A small scanner, not a parser: it only notes where each value starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, Position] = {}
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def skip(self, i: int) -> int:
        text, n = self.text, len(self.text)
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    def string_end(self, i: int) -> int:
        text, n = self.text, len(self.text)
        i += 1
        while i < n and text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1

    def value(self, i: int, pointer: str, depth: int) -> int:
        text, n = self.text, len(self.text)
        i = self.skip(i)
        if i >= n or depth > MAX_DEPTH:
            raise ValueError
        self.positions[pointer] = self.position(i)
        ch = text[i]
        if ch == "{":
            return self.members(i + 1, pointer, depth)
        if ch == "[":
            return self.items(i + 1, pointer, depth)
        if ch == '"':
            return self.string_end(i)
        while i < n and text[i] not in ",]} \t\r\n":
            i += 1
        return i

    def members(self, i: int, pointer: str, depth: int) -> int:
        text, n = self.text, len(self.text)
        i = self.skip(i)
        if i < n and text[i] == "}":
            return i + 1
        while True:
            i = self.skip(i)
            end = self.string_end(i)
            key = json.loads(text[i:end])
            i = self.skip(end)
            if i >= n or text[i] != ":":
                raise ValueError
            i = self.skip(self.value(i + 1, f"{pointer}/{_token(key)}", depth + 1))
            if i < n and text[i] == ",":
                i += 1
                continue
            return i + 1

    def items(self, i: int, pointer: str, depth: int) -> int:
        text, n = self.text, len(self.text)
        i = self.skip(i)
        if i < n and text[i] == "]":
            return i + 1
        k = 0
        while True:
            i = self.skip(self.value(i, f"{pointer}/{k}", depth + 1))
            k += 1
            if i < n and text[i] == ",":
                i += 1
                continue
            return i + 1


def json_positions(text: str) -> dict[str, Position]:
    """Map every JSON pointer in `text` to the (line, column) where its value starts.

    On malformed text it returns what it found so far, and the document's
    own pointer `""` is placed where `json` stops reading, so a syntax error
    reported at `""` is printed where it is.
    """
    scanner = _JsonScanner(text)
    with contextlib.suppress(ValueError, IndexError, json.JSONDecodeError):
        scanner.value(0, "", 0)
    error = syntax_error(text)
    if error is not None:
        scanner.positions[""] = (error.lineno, error.colno)
    return scanner.positions


def syntax_error(text: str) -> json.JSONDecodeError | None:
    """Why `text` is not JSON, with its position; None when it is JSON."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return error
    except (ValueError, RecursionError):
        return None
    return None


def yaml_positions(text: str, loader: Any) -> dict[str, Position]:
    """Map every JSON pointer of a YAML document to the (line, column) of its value."""
    import yaml

    positions: dict[str, Position] = {}
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return positions
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        if node is None:
            continue
        positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, item in node.value:
                stack.append((item, f"{pointer}/{_token(str(key.value))}"))
        elif isinstance(node, yaml.SequenceNode):
            for k, item in enumerate(node.value):
                stack.append((item, f"{pointer}/{k}"))
    return positions
