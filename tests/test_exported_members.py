"""The public API: what `import phalanx` offers, pinned."""

from __future__ import annotations

import phalanx


def _isort_key(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: CONSTANTS, then Classes, then functions and modules."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


def test_all_is_sorted_and_every_name_exists() -> None:
    assert phalanx.__all__ == sorted(phalanx.__all__, key=_isort_key)
    for name in phalanx.__all__:
        assert hasattr(phalanx, name), name


def test_every_exported_name_resolves_lazily() -> None:
    lazy = set(phalanx._LAZY)
    assert lazy == set(phalanx.__all__) - {"__version__"}


def test_unknown_attribute_raises_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = phalanx.nope  # type: ignore[attr-defined]


def test_errors_a_user_catches_are_exported() -> None:
    from phalanx import errors

    for name in ("DefinitionError", "InvalidMachineError", "LoadError", "PhalanxError"):
        assert getattr(phalanx, name) is getattr(errors, name)
    assert issubclass(phalanx.InvalidMachineError, phalanx.DefinitionError)
