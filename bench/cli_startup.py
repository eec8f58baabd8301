"""Cold start of `phalanx --help`: median of N runs against bare Python and a peer CLI.

Prints a table; compare the ratios, not the absolute times (this machine is small
and noisy). Usage: python bench/cli_startup.py [runs]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    phalanx = shutil.which("phalanx", path=str(BIN)) or "phalanx"
    rows = [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
        ("phalanx --help", [phalanx, "--help"]),
    ]
    cfn_lint = shutil.which("cfn-lint", path=str(BIN))
    if cfn_lint:
        rows.append(("cfn-lint --version (peer)", [cfn_lint, "--version"]))
    results = [(label, median_seconds(command, runs)) for label, command in rows]
    base = dict(results)["phalanx --help"]
    print(f"{'command':<28} {'median ms':>10} {'vs phalanx':>11}   ({runs} runs each)")
    for label, seconds in results:
        print(f"{label:<28} {seconds * 1000:>10.1f} {seconds / base:>10.2f}x")


if __name__ == "__main__":
    main()
