"""STYLE.md layering for drawing: `graph` never imports `cli`; `asl` and `runtime` reach
`graph` only inside the methods that draw, never when they are imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import phalanx

PACKAGE = Path(phalanx.__file__).parent


def _module_level_imports(module: Path) -> set[str]:
    """Modules imported by statements at the top level of `module` (not inside functions)."""
    names = set()
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _all_imports(module: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


GRAPH = sorted((PACKAGE / "graph").glob("*.py"))
MODEL = sorted([*(PACKAGE / "asl").glob("*.py"), *(PACKAGE / "runtime").glob("*.py")])


@pytest.mark.parametrize("module", GRAPH, ids=[m.name for m in GRAPH])
def test_graph_does_not_import_cli(module: Path) -> None:
    assert not any(name.startswith("phalanx.cli") for name in _all_imports(module))


@pytest.mark.parametrize("module", MODEL, ids=[f"{m.parent.name}/{m.name}" for m in MODEL])
def test_model_and_runtime_import_graph_only_when_drawing(module: Path) -> None:
    assert not any(name.startswith("phalanx.graph") for name in _module_level_imports(module))
