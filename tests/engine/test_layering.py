"""STYLE.md layering: `engine` imports only `asl`, `query` and `errors` (and itself)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import phalanx.engine

ENGINE = Path(phalanx.engine.__file__).parent
ALLOWED = ("phalanx.asl", "phalanx.query", "phalanx.errors", "phalanx.engine")


def _imports(module: Path) -> Iterator[tuple[str, str]]:
    """(module, name) for every import in `module`, at any depth (TYPE_CHECKING too)."""
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ""


MODULES = sorted(ENGINE.glob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_engine_imports_only_asl_query_errors_and_itself(module: Path) -> None:
    above = sorted(
        name
        for name, _ in _imports(module)
        if name.startswith("phalanx")
        and not any(name == a or name.startswith(a + ".") for a in ALLOWED)
    )
    assert above == []


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_engine_modules_import_no_private_names_from_each_other(module: Path) -> None:
    private = sorted(
        f"{name}.{imported}"
        for name, imported in _imports(module)
        if name.startswith("phalanx.engine") and imported.startswith("_")
    )
    assert private == []
