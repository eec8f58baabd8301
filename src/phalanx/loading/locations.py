"""Where something is in a user's files, written the way compilers write it.

    flow.asl.json:12:7

Paths are shown by `phalanx.paths.display_path`: relative to the working
directory when the file is inside it, absolute otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from phalanx.paths import display_path

__all__ = ["Location", "Position", "display_path"]

Position = tuple[int, int]
"""A 1-based (line, column) in a text file."""


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
