"""The public API: what `import phalanx` offers, pinned."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

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


def _typed_imports() -> dict[str, str]:
    """name -> module, as the `if TYPE_CHECKING:` imports tell type checkers."""
    tree = ast.parse(Path(phalanx.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    return {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


def test_every_exported_name_is_the_object_type_checkers_see() -> None:
    typed = _typed_imports()
    assert set(typed) == set(phalanx.__all__) - {"__version__"}
    for name, module in typed.items():
        assert getattr(phalanx, name) is getattr(importlib.import_module(module), name), name


def test_import_phalanx_and_its_errors_leaves_the_model_unloaded() -> None:
    probe = "import sys, phalanx; phalanx.PhalanxError; print('phalanx.asl' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_unknown_attribute_raises_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = phalanx.nope  # type: ignore[attr-defined]


def test_errors_a_user_catches_are_exported() -> None:
    from phalanx import errors

    for name in ("DefinitionError", "InvalidMachineError", "LoadError", "PhalanxError"):
        assert getattr(phalanx, name) is getattr(errors, name)
    assert issubclass(phalanx.InvalidMachineError, phalanx.DefinitionError)
