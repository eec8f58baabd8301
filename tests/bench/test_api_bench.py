"""bench/api_bench.py runs end to end in a reduced form, so it cannot rot.

Speed is not asserted (that is what the bench prints); only that both servers
start, every measure gets a row with a figure for each, and no server process
is left behind.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_BENCH = Path(__file__).resolve().parents[2] / "bench" / "api_bench.py"
_spec = importlib.util.spec_from_file_location("phalanx_bench_api_bench", _BENCH)
assert _spec is not None and _spec.loader is not None
api_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_bench)

_TINY = ["--quick", "--count", "12", "--moto-count", "6", "--iterations", "5", "--starts", "6"]
_MEASURES = [
    "loop 5: transitions/s",
    "StartExecution/s (1 thread, 6 calls)",
    "StartExecution/s (2 threads, 6 calls)",
    "StartExecution/s (boto3, 2 proc x 2 threads)",
    "StartExecution/s (keep-alive HTTP, 2 x 2)",
    "parked on one Wait: executions",
    "peak RSS, VmHWM",
    "all SUCCEEDED, s after the Wait ended",
    "SUCCEEDED",
]


def _children() -> set[str]:
    tasks = Path("/proc/self/task")
    return {pid for task in tasks.iterdir() for pid in (task / "children").read_text().split()}


def test_quick_run_prints_a_row_per_measure_and_leaves_no_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _children()
    assert api_bench.main([*_TINY, "--threads", "2"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["measure", "Phalanx", "moto", "ratio"]
    for measure in _MEASURES:
        rows = [line for line in table if line.strip().startswith(measure)]
        assert rows, f"no row for {measure!r} in:\n" + "\n".join(table)
        phalanx, moto = rows[0].split()[-3:-1]
        assert "-" not in (phalanx, moto), rows[0]
    succeeded = next(line for line in table if line.strip().startswith("SUCCEEDED"))
    assert succeeded.split()[1:3] == ["12", "6"]  # every parked execution ended
    assert _children() <= before
