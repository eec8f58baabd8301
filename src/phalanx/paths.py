"""How Phalanx shows a path to a user's file.

Relative to the working directory when the file is inside it, absolute
otherwise, so every message names a file the same way however it was given
(`./flow.py`, `/home/me/app/flow.py`).
"""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str | Path) -> str:
    """`path` relative to the working directory when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)
