"""A clone tests itself: the corpora live in tests/data, under the licence rule.

The repository is copied into an empty folder (no `shared/` beside it) and
the suite's corpus loaders run there in a fresh interpreter. The refresh
script (`make corpora`) keeps only cases whose source repositories allow
redistribution; that rule is tested on a made-up shared folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.corpora import CORPORA, REPOSITORY
from tests.data import refresh

# Never copied: environments, caches and build output (the fallback without git).
_NOT_SOURCE = {".git", ".venv", ".ci-venv", "__pycache__", ".pytest_cache", ".mypy_cache"}
_NOT_SOURCE |= {".ruff_cache", ".hypothesis", "dist", "build"}

_LOADERS = """
import json, sys
sys.path.insert(0, "bench")
import conformance
from tests import corpora
counts = {name: len(corpora.cases(name)) for name in corpora.CORPORA}
counts["bench/conformance.py"] = len(conformance.case_files())
print(json.dumps(counts))
"""

# Collecting these modules runs every corpus loader; the validation corpus runs in full.
_CORPUS_TESTS = [
    "tests/engine/test_conformance.py",
    "tests/query/test_corpus_pass_states.py",
    "tests/validation/test_realworld.py",
    "tests/asl/test_roundtrip.py",
]


def _repository_files() -> list[Path]:
    """Tracked and untracked-but-not-ignored files; without git, the tree minus caches."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPOSITORY,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return [
            path.relative_to(REPOSITORY)
            for path in REPOSITORY.rglob("*")
            if path.is_file()
            and not _NOT_SOURCE & set(path.relative_to(REPOSITORY).parts)
            and not any(part.endswith(".egg-info") for part in path.parts)
        ]
    names = [Path(name) for name in listed.decode().split("\0") if name]
    return [name for name in names if (REPOSITORY / name).is_file()]


def _run(copy: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PHALANX_CORPORA", "PHALANX_SHARED", "PYTHONPATH"}
    }
    environment["PYTHONPATH"] = str(copy / "src")
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_copy_of_the_repository_alone_loads_every_corpus(tmp_path: Path) -> None:
    copy = tmp_path / "phalanx"
    for name in _repository_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPOSITORY / name, copy / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["phalanx"]

    loaded = _run(copy, "-c", _LOADERS)
    assert loaded.returncode == 0, loaded.stderr
    in_repository = {
        name: len(list((REPOSITORY / "tests" / "data" / name / "cases").glob("*.json")))
        for name in CORPORA
    }
    in_repository["bench/conformance.py"] = in_repository["conformance"]
    assert json.loads(loaded.stdout) == in_repository
    assert all(in_repository.values())

    collected = _run(
        copy, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider", "-q", *_CORPUS_TESTS
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr
    ran = _run(
        copy, "-m", "pytest", "-x", "-p", "no:cacheprovider", "tests/validation/test_corpus.py"
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr

    refreshed = _run(copy, "tests/data/refresh.py")
    assert refreshed.returncode == 1
    assert "nothing to refresh from" in refreshed.stderr


def test_every_case_in_the_repository_comes_from_a_redistributable_source() -> None:
    refused = {
        path.name: sorted(refresh.refused_repositories(json.loads(path.read_bytes())))
        for corpus in CORPORA
        for path in (refresh.DATA / corpus / "cases").glob("*.json")
    }
    assert {name: repos for name, repos in refused.items() if repos} == {}


def _write_case(shared: Path, corpus: str, name: str, case: Any) -> None:
    folder = shared / corpus / "cases"
    folder.mkdir(parents=True, exist_ok=True)
    for extra in refresh.CORPUS_FILES:
        (shared / corpus / extra).write_text(f"{corpus} {extra}\n")
    (folder / name).write_text(json.dumps(case))


def test_refresh_leaves_out_cases_by_the_licence_of_their_source_repositories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    allowed = "localstack/localstack"
    unknown = "someone/unlicensed"
    _write_case(shared, "conformance", "kept.json", {"source": {"repo": allowed}})
    _write_case(shared, "conformance", "unknown.json", {"source": {"repo": unknown}})
    _write_case(shared, "conformance", "no-source.json", {"definition": {}})
    _write_case(shared, "validation", "kept.json", {"source": f"{allowed}:t", "sources": []})
    _write_case(
        shared,
        "validation",
        "merged-with-unknown.json",
        {
            "source": f"{allowed}:t",
            "sources": [{"source": f"{allowed}:t"}, {"source": f"{unknown}:u"}],
        },
    )
    _write_case(
        shared, "realworld", "kept.json", {"source": {"repo": "aws-samples/serverless-patterns"}}
    )
    target = tmp_path / "data"
    (target / "conformance" / "cases").mkdir(parents=True)
    (target / "conformance" / "cases" / "stale.json").write_text("{}")

    assert refresh.main([str(shared), "--target", str(target)]) == 0

    copied = sorted(str(p.relative_to(target)) for p in target.rglob("*.json"))
    assert copied == [
        "conformance/cases/kept.json",
        "conformance/index.json",
        "realworld/cases/kept.json",
        "realworld/index.json",
        "validation/cases/kept.json",
        "validation/index.json",
    ]
    assert (target / "conformance" / "README.md").read_bytes() == (
        shared / "conformance" / "README.md"
    ).read_bytes()
    out = capsys.readouterr().out
    assert "conformance: 1 cases; left out by licence: 1 from <no recorded source>" in out
    assert f"1 from {unknown} (licence unknown)" in out
    assert refresh.main([str(shared), "--check", "--target", str(target)]) == 0


def test_refresh_check_names_the_files_out_of_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    for corpus in CORPORA:
        _write_case(shared, corpus, "a.json", {"source": {"repo": "localstack/localstack"}})
    target = tmp_path / "data"
    assert refresh.main([str(shared), "--target", str(target)]) == 0
    changed = {"source": {"repo": "localstack/localstack"}, "expected": "another"}
    (shared / "realworld" / "cases" / "a.json").write_text(json.dumps(changed))

    assert refresh.main([str(shared), "--check", "--target", str(target)]) == 1
    assert f"differs {target / 'realworld' / 'cases' / 'a.json'}" in capsys.readouterr().err


def test_refresh_without_shared_says_so_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refresh.main([str(tmp_path / "shared"), "--target", str(tmp_path / "data")]) == 1
    assert "nothing to refresh from" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


@pytest.mark.skipif(
    not refresh.DEFAULT_SHARED.is_dir(), reason="no ../shared beside the checkout to compare with"
)
def test_the_repository_copy_is_what_shared_holds_under_the_licence_rule() -> None:
    assert refresh.main(["--check"]) == 0, "tests/data differs from ../shared: run `make corpora`"
