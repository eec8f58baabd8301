"""The measurement corpora, found in one place for every test.

They live in the repository, under tests/data/<corpus>/ (provenance and
licences in tests/data/README.md; `make corpora` refreshes them from
`../shared`), so a clone tests itself. `PHALANX_CORPORA` points at another
folder laid out the same way. A missing corpus fails the run rather than
skipping it: a silent skip would turn the headline numbers green on a broken
setup. Cases are data: tests iterate over them and never look at names or
content to decide an outcome.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
CORPORA = ("conformance", "validation", "realworld")
DATA = Path(os.environ.get("PHALANX_CORPORA") or REPOSITORY / "tests" / "data")


def shared(corpus: str) -> Path:
    """The `cases` folder of `corpus`; fails the test run when it is missing or empty."""
    folder = DATA / corpus / "cases"
    if not any(folder.glob("*.json")):
        pytest.fail(
            f"corpus {folder} is missing or empty (see tests/data/README.md)", pytrace=False
        )
    return folder


def cases(corpus: str) -> list[Any]:
    """One `pytest.param(case, id=<file name>)` per case file of `corpus`."""
    return [
        pytest.param(json.loads(path.read_text(encoding="utf-8")), id=path.stem)
        for path in sorted(shared(corpus).glob("*.json"))
    ]
