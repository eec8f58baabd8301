"""The shared measurement corpora, found in one place for every test.

They sit in `shared/` beside the checkout, as CI lays them out
(`PHALANX_SHARED` points elsewhere). A missing corpus fails the run rather
than skipping it: a silent skip would turn the headline numbers green on a
broken setup. Cases are data: tests iterate over them and never look at
names or content to decide an outcome.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PHALANX_SHARED", REPOSITORY.parent / "shared"))


def shared(corpus: str) -> Path:
    """The `cases` folder of `corpus`; fails the test run when it is missing."""
    folder = SHARED / corpus / "cases"
    if not folder.is_dir():
        pytest.fail(f"corpus {folder} is missing (set PHALANX_SHARED)", pytrace=False)
    return folder


def cases(corpus: str) -> list[Any]:
    """One `pytest.param(case, id=<file name>)` per case file of `corpus`."""
    return [
        pytest.param(json.loads(path.read_text(encoding="utf-8")), id=path.stem)
        for path in sorted(shared(corpus).glob("*.json"))
    ]
