"""Structural JSONPath and intrinsic-function checks: the fallback for filter selectors.

Written as a stop-gap before `phalanx.query` landed; `expressions.py` now asks
`phalanx.query` first and consults this module only when the parser refuses a
position inside a `[?(...)]` / `[(...)]` selector, whose contents AWS leaves to
Jayway at run time (see `expressions.py`). Delete it when `phalanx.query`
accepts those selectors as AWS does. It answers "is this text well formed?"
with a message or `None` and never evaluates anything.

JSONPath follows the dialect AWS accepts (Jayway): `$`, `$$` (context object),
`$name` (variable), then `.name`, `.*`, `..name`, `['name']`, `[0]`, `[*]`,
`[0:2]`, `[0,1]`, `[?(...)]`, `[(...)]` and a trailing `.length()`-style
function. A *reference path* allows only `.name`, `['name']` and `[n]`.
"""

from __future__ import annotations

import re

# name -> (min args, max args or None for unbounded)
INTRINSIC_ARITY: dict[str, tuple[int, int | None]] = {
    "States.Format": (1, None),
    "States.StringToJson": (1, 1),
    "States.JsonToString": (1, 1),
    "States.Array": (0, None),
    "States.ArrayPartition": (2, 2),
    "States.ArrayContains": (2, 2),
    "States.ArrayRange": (3, 3),
    "States.ArrayGetItem": (2, 2),
    "States.ArrayLength": (1, 1),
    "States.ArrayUnique": (1, 1),
    "States.Base64Encode": (1, 1),
    "States.Base64Decode": (1, 1),
    "States.Hash": (2, 2),
    "States.JsonMerge": (3, 3),
    "States.MathRandom": (2, 3),
    "States.MathAdd": (2, 2),
    "States.StringSplit": (2, 2),
    "States.UUID": (0, 0),
}

# Argument positions that must be numbers when given as literals.
_NUMERIC_ARGS: dict[str, tuple[int, ...]] = {
    "States.MathAdd": (0, 1),
    "States.MathRandom": (0, 1, 2),
    "States.ArrayRange": (0, 1, 2),
    "States.ArrayPartition": (1,),
    "States.ArrayGetItem": (1,),
}
_STRING_ARGS: dict[str, tuple[int, ...]] = {
    "States.Format": (0,),
    "States.StringSplit": (0, 1),
    "States.Hash": (1,),
    "States.Base64Encode": (0,),
    "States.Base64Decode": (0,),
    "States.StringToJson": (0,),
}

_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_DOT_NAME = re.compile(r"[^.\[\]()\s,'\"]+")


class _Bad(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def jsonpath_error(text: str, *, reference: bool = False) -> str | None:
    try:
        _check_path(text, reference)
    except _Bad as exc:
        return exc.message
    return None


def _check_path(text: str, reference: bool) -> None:
    text = text.strip()  # AWS ignores surrounding blanks ("$$.Execution.Name ")
    if not text.startswith("$"):
        raise _Bad("a path must begin with '$'")
    i = 1
    if text.startswith("$$"):
        i = 2
    else:
        m = _VAR.match(text, 1)
        if m:
            i = m.end()
    n = len(text)
    while i < n:
        c = text[i]
        if c == ".":
            if text.startswith("..", i):
                if reference:
                    raise _Bad("'..' is not allowed in a reference path")
                i += 2
                if i < n and text[i] == "[":
                    continue
            else:
                i += 1
                if i < n and text[i] == "[":  # Jayway accepts `$.[0]` like `$[0]`
                    continue
            if i < n and text[i] == "*":
                if reference:
                    raise _Bad("'*' is not allowed in a reference path")
                i += 1
                continue
            m = _DOT_NAME.match(text, i)
            if not m:
                raise _Bad(f"expected a field name at position {i}")
            i = m.end()
            if text.startswith("()", i):
                if reference or i + 2 != n:
                    raise _Bad(f"unexpected function call at position {i}")
                i += 2
        elif c == "[":
            i = _bracket(text, i, reference)
        else:
            raise _Bad(f"unexpected {c!r} at position {i}")


def _bracket(text: str, i: int, reference: bool) -> int:
    """Check one `[...]` selector starting at `text[i] == '['`; return the index after it."""
    end = _matching(text, i)
    inner = text[i + 1 : end].strip()
    if not inner:
        raise _Bad(f"empty brackets at position {i}")
    if inner[0] in "'\"":
        parts = _split_quoted(inner, i)
        if reference and len(parts) != 1:
            raise _Bad("a reference path selects one field at a time")
    elif inner == "*":
        if reference:
            raise _Bad("'[*]' is not allowed in a reference path")
    elif inner.startswith("?(") or inner.startswith("("):
        if reference:
            raise _Bad("filters and scripts are not allowed in a reference path")
        if not inner.endswith(")"):
            raise _Bad(f"unclosed filter at position {i}")
    elif re.fullmatch(r"\d+", inner):
        pass
    elif re.fullmatch(r"-?\d*\s*:\s*-?\d*(\s*:\s*-?\d*)?", inner) or re.fullmatch(
        r"-?\d+(\s*,\s*-?\d+)+|-\d+", inner
    ):
        if reference:
            raise _Bad("slices and index lists are not allowed in a reference path")
    else:
        raise _Bad(f"invalid selector [{inner}] at position {i}")
    return end + 1


def _matching(text: str, i: int) -> int:
    depth = 0
    quote = ""
    j = i
    while j < len(text):
        c = text[j]
        if quote:
            if c == "\\":
                j += 2
                continue
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise _Bad(f"unclosed '[' at position {i}")


def _split_quoted(inner: str, at: int) -> list[str]:
    parts: list[str] = []
    j = 0
    while j < len(inner):
        q = inner[j]
        if q not in "'\"":
            raise _Bad(f"expected a quoted name at position {at + 1 + j}")
        k = j + 1
        while k < len(inner) and inner[k] != q:
            k += 2 if inner[k] == "\\" else 1
        if k >= len(inner):
            raise _Bad(f"unclosed quote at position {at + 1 + j}")
        parts.append(inner[j + 1 : k])
        j = k + 1
        while j < len(inner) and inner[j] == " ":
            j += 1
        if j < len(inner):
            if inner[j] != ",":
                raise _Bad(f"expected ',' at position {at + 1 + j}")
            j += 1
            while j < len(inner) and inner[j] == " ":
                j += 1
    return parts


# --- intrinsic functions -------------------------------------------------------------------


def intrinsic_error(text: str) -> str | None:
    try:
        end = _call(text, _skip(text, 0))
        end = _skip(text, end)
        if end != len(text):
            raise _Bad(f"unexpected text after the call at position {end}")
    except _Bad as exc:
        return exc.message
    return None


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


def _call(text: str, i: int) -> int:
    m = re.compile(r"States\.[A-Za-z0-9]+").match(text, i)
    if not m:
        raise _Bad(f"expected an intrinsic function name at position {i}")
    name = m.group(0)
    if name not in INTRINSIC_ARITY:
        raise _Bad(f"unknown intrinsic function {name}")
    i = _skip(text, m.end())
    if i >= len(text) or text[i] != "(":
        raise _Bad(f"expected '(' after {name}")
    i = _skip(text, i + 1)
    kinds: list[str] = []
    if i < len(text) and text[i] == ")":
        i += 1
    else:
        while True:
            i, kind = _argument(text, i)
            kinds.append(kind)
            i = _skip(text, i)
            if i >= len(text):
                raise _Bad(f"unclosed call to {name}")
            if text[i] == ",":
                i = _skip(text, i + 1)
                continue
            if text[i] == ")":
                i += 1
                break
            raise _Bad(f"expected ',' or ')' at position {i}")
    low, high = INTRINSIC_ARITY[name]
    if len(kinds) < low or (high is not None and len(kinds) > high):
        want = str(low) if low == high else f"{low}+" if high is None else f"{low}-{high}"
        raise _Bad(f"{name} takes {want} arguments, got {len(kinds)}")
    for pos in _NUMERIC_ARGS.get(name, ()):
        if pos < len(kinds) and kinds[pos] in ("string", "boolean", "null"):
            raise _Bad(f"{name} argument {pos + 1} must be a number, got a {kinds[pos]}")
    for pos in _STRING_ARGS.get(name, ()):
        if pos < len(kinds) and kinds[pos] in ("number", "boolean", "null"):
            raise _Bad(f"{name} argument {pos + 1} must be a string, got a {kinds[pos]}")
    return i


def _argument(text: str, i: int) -> tuple[int, str]:
    if i >= len(text):
        raise _Bad("missing argument")
    c = text[i]
    if c == "'":
        j = i + 1
        while j < len(text) and text[j] != "'":
            j += 2 if text[j] == "\\" else 1
        if j >= len(text):
            raise _Bad(f"unclosed string at position {i}")
        return j + 1, "string"
    if c == "$":
        j = i
        depth = 0
        quote = ""
        while j < len(text):
            ch = text[j]
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "'\"" and depth:
                quote = ch
            elif ch in "[(":
                depth += 1
            elif ch in "])":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                break
            j += 1
        path = text[i:j].rstrip()
        problem = jsonpath_error(path)
        if problem:
            raise _Bad(f"invalid path argument {path!r}: {problem}")
        return j, "path"
    if text.startswith("States.", i):
        return _call(text, i), "call"
    m = _NUMBER.match(text, i)
    if m:
        return m.end(), "number"
    for word, kind in (("true", "boolean"), ("false", "boolean"), ("null", "null")):
        if text.startswith(word, i):
            return i + len(word), kind
    raise _Bad(f"invalid argument at position {i}")
