"""Where the shared measurement corpora are: beside the repository (CI), or the workplace copy."""

from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def shared(name: str) -> Path:
    """`shared/<name>/cases` beside or inside the repository, else under /work/shared."""
    for base in (REPOSITORY.parent / "shared", REPOSITORY / "shared", Path("/work/shared")):
        folder = base / name / "cases"
        if folder.is_dir():
            return folder
    return Path("/work/shared") / name / "cases"
