"""STYLE.md's layering, checked on the source: who may import whom.

`tests/engine/test_layering.py` pins the engine's imports; these pin the
other rules. Only module-level imports count (those in `if` and `try`
blocks and class bodies too, but not those inside functions): `asl`'s
`StateMachine.validate` imports the validator lazily, on purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import phalanx

PACKAGE = Path(phalanx.__file__).parent


def _modules(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


def _module_level(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If | ast.Try | ast.ClassDef | ast.With):
            for block in ("body", "orelse", "finalbody", "handlers"):
                for part in getattr(node, block, []):
                    inner = part.body if isinstance(part, ast.ExceptHandler) else [part]
                    yield from _module_level(inner)


def _imported_modules(path: Path) -> list[str]:
    """Every phalanx module `path` imports at module level (`from m import n`: m, and m.n)."""
    names = []
    for node in _module_level(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in names if name == "phalanx" or name.startswith("phalanx.")]


def _package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(PACKAGE)) for path in paths]


# Everything above `asl` in STYLE.md's layout, and `query`: a deployed
# function's bundle ships `asl` without `query` (deploy/package.py).
ASL_MAY_NOT_IMPORT = (
    "validation",
    "engine",
    "runtime",
    "deploy",
    "cli",
    "query",
    "store",
    "services",
    "testing",
    "api",
    "graph",
    "console",
)
ASL = _modules("asl")


@pytest.mark.parametrize("module", ASL, ids=_ids(ASL))
def test_asl_imports_nothing_above_it_at_module_level(module: Path) -> None:
    above = sorted({m for m in _imported_modules(module) if _package_of(m) in ASL_MAY_NOT_IMPORT})
    assert above == []


DEPLOY = _modules("deploy")


@pytest.mark.parametrize("module", DEPLOY, ids=_ids(DEPLOY))
def test_deploy_does_not_import_the_runtime(module: Path) -> None:
    runtime = sorted({m for m in _imported_modules(module) if _package_of(m) == "runtime"})
    assert runtime == []


RUNTIME = _modules("runtime")


@pytest.mark.parametrize("module", RUNTIME, ids=_ids(RUNTIME))
def test_runtime_imports_no_service_integration_at_module_level(module: Path) -> None:
    """STYLE.md: services sit above the runtime; the API hands the runtime what it needs."""
    above = sorted(
        {m for m in _imported_modules(module) if _package_of(m) in ("services", "api", "cli")}
    )
    assert above == []


def _is_private_module(name: str) -> bool:
    """`phalanx.query._json`: a module whose own name starts with `_` (not `__init__`)."""
    if not name.rsplit(".", 1)[-1].startswith("_") or name.endswith(".__init__"):
        return False
    path = PACKAGE.joinpath(*name.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


CLI = _modules("cli")


@pytest.mark.parametrize("module", CLI, ids=_ids(CLI))
def test_cli_imports_no_private_module_of_another_package(module: Path) -> None:
    private = sorted(
        {
            name
            for name in _imported_modules(module)
            if _package_of(name) != "cli"
            and any(_is_private_module(".".join(name.split(".")[: i + 1])) for i in range(2, 9))
        }
    )
    assert private == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        pytest.param("import phalanx.engine.run\n", ["phalanx.engine.run"], id="import"),
        pytest.param(
            "from phalanx.query import _json\n",
            ["phalanx.query", "phalanx.query._json"],
            id="from-import",
        ),
        pytest.param(
            "if TYPE_CHECKING:\n    from phalanx.runtime import local\n",
            ["phalanx.runtime", "phalanx.runtime.local"],
            id="in-if-block",
        ),
        pytest.param("def f():\n    import phalanx.validation\n", [], id="in-function"),
        pytest.param("import json\n", [], id="not-phalanx"),
    ],
)
def test_module_level_imports_are_found_and_function_imports_are_not(
    tmp_path: Path, source: str, found: list[str]
) -> None:
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    assert _imported_modules(path) == found


def test_a_private_module_is_told_from_a_private_name() -> None:
    assert _is_private_module("phalanx.query._json")
    assert not _is_private_module("phalanx.query.jsonpath")
    assert not _is_private_module("phalanx.engine.run._private_name")


NOT_CLI_OR_CONSOLE = [
    path
    for path in sorted(PACKAGE.rglob("*.py"))
    if path.relative_to(PACKAGE).parts[0] not in ("cli", "console")
]


@pytest.mark.parametrize("module", NOT_CLI_OR_CONSOLE, ids=_ids(NOT_CLI_OR_CONSOLE))
def test_only_the_cli_imports_the_console(module: Path) -> None:
    # The API server serves the console's pages through a hook `phalanx serve` fills.
    console = sorted({m for m in _imported_modules(module) if _package_of(m) == "console"})
    assert console == []
