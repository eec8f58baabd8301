"""The mock seam lives in runtime; phalanx.testing re-exports it for users."""

from __future__ import annotations

import ast
from pathlib import Path

import phalanx.testing
from phalanx.runtime import mocks

RUNTIME = Path(mocks.__file__).parent


def test_testing_re_exports_the_runtime_mock_seam() -> None:
    for name in ("Returns", "Throws", "StateMocks", "Mocks", "MockedCall"):
        assert getattr(phalanx.testing, name) is getattr(mocks, name)


def test_runtime_does_not_import_the_user_facing_testing_module() -> None:
    importers = []
    for module in sorted(RUNTIME.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name == "phalanx.testing" for name in names):
                importers.append(module.name)
    assert importers == []
