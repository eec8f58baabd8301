"""Fixtures for deploy tests: one moto server per module, boto3 aimed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.aws_emulator import REGION as REGION
from tests.aws_emulator import moto_server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """A moto server on loopback with a free port, with dummy credentials in the env."""
    with moto_server() as url:
        yield url


@pytest.fixture
def roll_die_file(tmp_path: Path) -> Path:
    """A private copy of examples/roll_die.py that a test may edit."""
    target = tmp_path / "roll_die.py"
    target.write_text((EXAMPLES / "roll_die.py").read_text(encoding="utf-8"), encoding="utf-8")
    return target
