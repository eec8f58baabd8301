"""The real-world definitions (tests/data/realworld): no ERROR, except the suspects.

`${...}` placeholders are deploy-time substitutions, so these run with
`placeholders=True`. Warning counts by code are printed for the report.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from phalanx.validation import validate
from tests.corpora import shared

CORPUS = shared("realworld")
FILES = sorted(CORPUS.glob("*.json"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_realworld_definition_validates_without_error(path: Path) -> None:
    case = json.loads(path.read_text())
    result = validate(case["definition"], placeholders=True, severity="WARNING", max_results=1000)
    if case.get("suspect"):
        assert result.result == "FAIL"
        assert all(d.location.startswith("/") for d in result.errors)
    else:
        assert result.errors == (), "\n".join(
            f"{d.code} {d.location}: {d.message}" for d in result.errors
        )


def test_report_realworld_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    warnings: Counter[str] = Counter()
    errors = 0
    for path in FILES:
        case = json.loads(path.read_text())
        result = validate(
            case["definition"], placeholders=True, severity="WARNING", max_results=1000
        )
        warnings.update(d.code for d in result.warnings)
        errors += 0 if case.get("suspect") else len(result.errors)
    with capsys.disabled():
        print(f"\nrealworld: {len(FILES)} definitions, {errors} errors outside the suspects")
        for code, count in warnings.most_common():
            print(f"  {code:<32} {count}")
    assert errors == 0
