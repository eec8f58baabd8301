"""State names: 1 to 80 characters, no control characters, unique in the whole machine.

AWS requires names to be unique across every scope of a machine, Parallel
branches and Map processors included (ASL reference: "State names must be
unique within the scope of the whole state machine"). Spaces and punctuation
are allowed in *state* names; the stricter character set (no whitespace,
brackets, wildcards, `"#%\\^|~`$&,;:/`) applies to resource names such as a
distributed Map's `Label`, and is exported here for `mapstate.py`.
"""

from __future__ import annotations

import re

from phalanx.validation.diagnostics import Report, join, quote
from phalanx.validation.scopes import Machine

NAME_MAX = 80

_SPECIAL = set(' <>{}[]?*"#%\\^|~`$&,;:/')


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _control(ch: str) -> bool:
    return _CONTROL.match(ch) is not None


def forbidden_character(text: str) -> str | None:
    """The first character AWS forbids in resource names (Map Label, machine names)."""
    for ch in text:
        if ch in _SPECIAL or ch.isspace() or _control(ch):
            return ch
    return None


def check(machine: Machine, report: Report) -> None:
    first_seen: dict[str, str] = {}
    for scope in machine.scopes:
        for name in scope.states:
            pointer = join(scope.pointer, "States", name)
            if not 1 <= len(name) <= NAME_MAX:
                report.error(
                    "INVALID_STATE_NAME",
                    pointer,
                    f"State name {quote(name)} must be 1 to {NAME_MAX} characters long "
                    f"(it has {len(name)})",
                )
            elif _CONTROL.search(name):
                report.error(
                    "INVALID_STATE_NAME",
                    pointer,
                    f"State name {quote(name)} contains a control character",
                )
            if name in first_seen:
                report.error(
                    "DUPLICATE_STATE_NAME",
                    pointer,
                    f'Duplicate State name: "{name}" is also defined at {first_seen[name]}',
                )
            else:
                first_seen[name] = pointer
