"""The recorded corpus through one `phalanx serve`, many executions at once.

`bench/conformance_api.py` runs every case (969, about 20 s); this test runs
every third case, in one server, and expects what the in-process run gives
(tests/engine/test_conformance.py): the same verdicts, case for case.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

_BENCH = Path(__file__).resolve().parents[2] / "bench" / "conformance_api.py"
_spec = importlib.util.spec_from_file_location("phalanx_bench_conformance_api", _BENCH)
assert _spec is not None and _spec.loader is not None
through_api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(through_api)
conformance = through_api.conformance

# Known to differ in-process too (see tests/engine/test_conformance.py).
_KNOWN = {"context_object__test_context_object__TestSnfBase__test_result_selector.json"}
_SAMPLE = conformance.case_files()[::3]


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict[str, Any]]:
    cases = [conformance.load(path) for path in _SAMPLE]
    results = through_api.run_cases(cases)
    return {path.name: verdict for path, (_, verdict) in zip(_SAMPLE, results, strict=True)}


def _param(path: Path) -> Any:
    marks = [pytest.mark.xfail(reason="differs in-process too", strict=True)] * (
        path.name in _KNOWN
    )
    return pytest.param(path.name, id=path.stem, marks=marks)


@pytest.mark.parametrize("name", [_param(p) for p in _SAMPLE])
def test_execution_through_the_api_matches_aws_recording(
    verdicts: dict[str, dict[str, Any]], name: str
) -> None:
    assert conformance.passed(verdicts[name]), verdicts[name]
