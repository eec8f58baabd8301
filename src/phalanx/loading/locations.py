"""Where something is in a user's files, written the way compilers write it.

    flow.asl.json:12:7

Paths are shown relative to the working directory when the file is inside
it, absolute otherwise, so every command prints the same path for a file
however it was given (`./flow.py`, `/home/me/app/flow.py`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

Position = tuple[int, int]
"""A 1-based (line, column) in a text file."""


def display_path(path: str | Path) -> str:
    """`path` relative to the working directory when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


@dataclass(frozen=True, slots=True)
class Location:
    """A file, and a line and column in it when they are known."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        path = display_path(self.file)
        if self.line is None:
            return path
        return f"{path}:{self.line}:{self.column or 1}"
