"""`phalanx.graph`'s public names, pinned like `phalanx`'s (tests/test_exported_members.py)."""

from __future__ import annotations

import phalanx.graph
from tests.test_exported_members import _isort_key


def test_all_is_sorted_and_every_name_exists() -> None:
    assert phalanx.graph.__all__ == sorted(phalanx.graph.__all__, key=_isort_key)
    for name in phalanx.graph.__all__:
        assert hasattr(phalanx.graph, name), name
