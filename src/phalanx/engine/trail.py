"""The structural choices an execution made, for coverage: no history event says them all.

A Choice's history does not say which rule matched (two rules may share a
`Next`), nor a Task's which Retrier or Catcher handled an error; a
distributed Map's children write no events into the parent history. The
interpreter appends one `Taken` per choice to `Interpreter.trail`.
"""

from __future__ import annotations

import dataclasses

ENTERED = "entered"
RULE = "rule"
DEFAULT = "default"
RETRIER = "retrier"
CATCHER = "catcher"


@dataclasses.dataclass(frozen=True, slots=True)
class Taken:
    """State `state` was entered, or took its Choice rule / Retrier / Catcher number `index`."""

    state: str
    what: str
    index: int = 0
