"""The shared measurement corpora (../shared), loaded once for parametrised tests.

Cases are data: tests iterate over them and never look at names or content
to decide an outcome.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def cases(corpus: str) -> list[Any]:
    """One `pytest.param(case, id=<file name>)` per case file of `corpus`."""
    folder = SHARED / corpus / "cases"
    if not folder.is_dir():
        return []
    return [
        pytest.param(json.loads(path.read_text(encoding="utf-8")), id=path.stem)
        for path in sorted(folder.glob("*.json"))
    ]


def require(corpus: str) -> None:
    """Fail (not skip) when a corpus is missing: a silent skip would hide a broken setup."""
    if not (SHARED / corpus / "cases").is_dir():
        pytest.fail(f"corpus {SHARED / corpus} is missing")
