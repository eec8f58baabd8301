"""The one seam between the validator and the query parsers.

Every syntax question the rules ask (is this a JSONPath? a reference path?
a well-formed intrinsic call? a JSONata expression?) goes through the four
functions below, which answer with an error message or `None`.

They call `phalanx.query` (`jsonpath.parse`, `intrinsics.parse`,
`jsonata.check_syntax`) when it is importable. Until it lands, the
STOP-GAP checkers in `_stopgap_paths.py` and `_stopgap_jsonata.py` answer
instead; wiring in the real parsers is a change to this file only.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

from phalanx.errors import QuerySyntaxError
from phalanx.validate import _stopgap_jsonata, _stopgap_paths


def _load(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_jsonpath: Any = _load("phalanx.query.jsonpath")
_intrinsics: Any = _load("phalanx.query.intrinsics")
_jsonata: Any = _load("phalanx.query.jsonata")

_PLACEHOLDER = re.compile(r"\$\{[^{}]+\}")


def has_placeholder(value: object) -> bool:
    """True for a string holding a deploy-time `${...}` substitution token."""
    return isinstance(value, str) and _PLACEHOLDER.search(value) is not None


def is_jsonata(value: object) -> bool:
    """True for a string written as a JSONata expression: `{% ... %}`."""
    return (
        isinstance(value, str)
        and value.startswith("{%")
        and value.endswith("%}")
        and len(value) >= 4
    )


def is_intrinsic(text: str) -> bool:
    """True when `text` looks like an intrinsic call (`States.Format(...)`)."""
    return text.lstrip().startswith("States.")


@functools.lru_cache(maxsize=4096)
def jsonpath_error(text: str, *, reference: bool = False) -> str | None:
    """Why `text` is not a JSONPath (a *reference* path when asked), or None.

    Variables (`$name`) and the context object (`$$`) are allowed here; the
    caller forbids them where AWS does.
    """
    if _jsonpath is not None:
        try:
            parsed = _jsonpath.parse(text)
        except QuerySyntaxError as exc:
            return exc.message
        if reference and not getattr(parsed, "is_definite", True):
            return "must be a reference path (no wildcards, filters, slices or '..')"
        return None
    return _stopgap_paths.jsonpath_error(text, reference=reference)


@functools.lru_cache(maxsize=4096)
def intrinsic_error(text: str) -> str | None:
    """Why `text` is not a valid intrinsic function call, or None."""
    if _intrinsics is not None:
        try:
            _intrinsics.parse(text)
        except QuerySyntaxError as exc:
            return exc.message
        return None
    return _stopgap_paths.intrinsic_error(text)


@functools.lru_cache(maxsize=4096)
def jsonata_error(value: str) -> str | None:
    """Why the `{% ... %}` string `value` holds no valid JSONata, or None."""
    inner = value[2:-2]
    if not inner.strip():
        return "the JSONata expression is empty"
    if _jsonata is not None:
        try:
            _jsonata.check_syntax(inner)
        except QuerySyntaxError as exc:
            return exc.message
        return None
    return _stopgap_jsonata.syntax_error(inner)
