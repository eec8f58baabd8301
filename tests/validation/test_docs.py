"""Every diagnostic code the validator can emit is documented; the public names are pinned."""

from __future__ import annotations

import re
from pathlib import Path

import phalanx.validation

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "phalanx" / "validation"
DOCS = ROOT / "docs" / "validate.md"


def emitted_codes() -> set[str]:
    codes: set[str] = set()
    assert SOURCE.is_dir(), SOURCE
    for path in SOURCE.glob("*.py"):
        text = path.read_text()
        codes.update(re.findall(r'\.(?:error|warning)\(\s*"([A-Z_]+)"', text))
        codes.update(re.findall(r'^[A-Z_]+ = "(PHALANX_[A-Z_]+)"', text, re.MULTILINE))
    codes.add("SCHEMA_VALIDATION_FAILED")  # Report.schema()
    return codes


def test_every_code_is_documented() -> None:
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", DOCS.read_text(), re.MULTILINE))
    assert emitted_codes() - documented == set()


def test_phalanx_codes_are_the_documented_warnings() -> None:
    assert set(phalanx.validation.PHALANX_CODES) == {
        c for c in emitted_codes() if c.startswith("PHALANX_")
    }


def test_public_names() -> None:
    assert phalanx.validation.__all__ == [
        "PHALANX_CODES",
        "Diagnostic",
        "ValidationResult",
        "validate",
    ]
