"""The values the validator returns, shaped like AWS's `ValidateStateMachineDefinition`.

`Diagnostic` is one problem; `ValidationResult` is the whole answer, with
`to_dict()` giving the JSON AWS returns::

    {"result": "FAIL", "truncated": false,
     "diagnostics": [{"severity": "ERROR", "code": "MISSING_TRANSITION_TARGET",
                      "message": "...", "location": "/States/checkRoll/Default"}]}

`Report` is the mutable collector the rule modules write into while they walk
the definition; it is private to the package.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from phalanx.query import json_type as query_json_type

Severity = Literal["ERROR", "WARNING"]

ERROR: Severity = "ERROR"
WARNING: Severity = "WARNING"

# Longest quoted value in a message; AWS shortens long values too.
_QUOTE_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a definition.

    `location` is a JSON pointer (RFC 6901) into the definition, `""` for
    the document itself.
    """

    severity: Severity
    code: str
    message: str
    location: str

    def to_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "location": self.location,
        }


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """The verdict: `OK` unless some diagnostic is an ERROR (warnings never fail)."""

    result: Literal["OK", "FAIL"]
    diagnostics: tuple[Diagnostic, ...]
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.result == "OK"

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == WARNING)

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "truncated": self.truncated,
        }


@dataclass(slots=True)
class Report:
    """Collects diagnostics while the rules walk a definition."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, location: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(ERROR, code, message, location))

    def warning(self, code: str, location: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(WARNING, code, message, location))

    def schema(self, location: str, message: str) -> None:
        """The most common error: AWS's catch-all `SCHEMA_VALIDATION_FAILED`."""
        self.error("SCHEMA_VALIDATION_FAILED", location, message)


def escape(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901: `~` -> `~0`, `/` -> `~1`)."""
    return token.replace("~", "~0").replace("/", "~1")


@functools.lru_cache(maxsize=16384)
def _token(token: str | int) -> str:
    text = str(token)
    return escape(text) if "~" in text or "/" in text else text


def join(pointer: str, *tokens: str | int) -> str:
    """`join("/States", "a/b", 0)` -> `"/States/a~1b/0"`."""
    if len(tokens) == 1:
        return f"{pointer}/{_token(tokens[0])}"
    return pointer + "".join(["/" + _token(t) for t in tokens])


def quote(value: object) -> str:
    """A value as it would appear in JSON, shortened for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 3] + "..."
    return text


def json_type(value: object) -> str:
    """The JSON name of a Python value's type, for "expected X, got Y" messages.

    As the query layer names types, except that whole numbers are `integer`:
    AWS's schema messages tell integers from other numbers.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return "integer"
    return query_json_type(value)
