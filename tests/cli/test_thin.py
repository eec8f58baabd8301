"""`cli/` parses options and prints what the library returns (STYLE.md layering)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import phalanx.cli

CLI = Path(phalanx.cli.__file__).parent
MODULES = sorted(CLI.glob("*.py"))


def _imported_modules(module: Path) -> Iterator[str]:
    """Every module `module` imports, at any depth, with `from x import y` giving `x.y` too."""
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_cli_imports_no_private_module_of_another_package(module: Path) -> None:
    private = sorted(
        name
        for name in _imported_modules(module)
        if name.startswith("phalanx.")
        and not name.startswith("phalanx.cli.")
        and any(_private(part) for part in name.split(".")[1:])
    )
    assert private == []


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_cli_reads_no_file_format_itself(module: Path) -> None:
    """Loaders live in `phalanx.loading`: no command parses YAML or scans JSON positions."""
    imported = set(_imported_modules(module))
    assert not imported & {"yaml", "bisect", "importlib.util"}
