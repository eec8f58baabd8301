"""The pytest plugin: coverage of state machines over a test session, and `phalanx_run`.

Registered through the `pytest11` entry point, so installing phalanx is
enough (else `pytest -p phalanx.testing.plugin`).

    pytest --phalanx-cov
    pytest --phalanx-cov-fail-under=90 --phalanx-cov-report=json:cov.json
    pytest --phalanx-cov --phalanx-cov-report=html:htmlcov

Any of the three options turns coverage on: every execution run in the test
process (`phalanx.run()`, `phalanx run` called in-process, `replay()`) is
counted, and the session ends with a table per machine (`Coverage`). Below
`--phalanx-cov-fail-under` the session fails.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import pytest

from phalanx.runtime.local import Execution, run
from phalanx.runtime.recorder import subscribe
from phalanx.testing.coverage import Coverage
from phalanx.testing.report import parse_report, write_report

_COVERAGE = pytest.StashKey[Coverage]()
_UNSUBSCRIBE = pytest.StashKey[Callable[[], None]]()
_VERDICT = pytest.StashKey[list[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("phalanx", "phalanx state machine coverage")
    group.addoption(
        "--phalanx-cov",
        action="store_true",
        help="Count the states, Choice rules, Retriers, Catchers and branches tests reach.",
    )
    group.addoption(
        "--phalanx-cov-fail-under",
        type=float,
        metavar="PCT",
        help="Fail the session when state machine coverage is below PCT percent.",
    )
    group.addoption(
        "--phalanx-cov-report",
        action="append",
        default=[],
        metavar="json:FILE|html:DIR",
        help="Also write the coverage as JSON or an HTML page (may be repeated).",
    )


def _reports(config: pytest.Config) -> list[str]:
    found: list[str] = config.getoption("--phalanx-cov-report") or []
    return found


def pytest_configure(config: pytest.Config) -> None:
    wanted = (
        config.getoption("--phalanx-cov")
        or config.getoption("--phalanx-cov-fail-under") is not None
        or _reports(config)
    )
    if not wanted:
        return
    for spec in _reports(config):
        try:
            parse_report(spec)
        except ValueError as error:
            raise pytest.UsageError(f"--phalanx-cov-report {error}") from None
    coverage = Coverage()
    config.stash[_COVERAGE] = coverage
    config.stash[_UNSUBSCRIBE] = subscribe(coverage.add)
    config.stash[_VERDICT] = []


def pytest_unconfigure(config: pytest.Config) -> None:
    unsubscribe = config.stash.get(_UNSUBSCRIBE, None)
    if unsubscribe is not None:
        unsubscribe()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Generator[None, Any, None]:
    yield
    config = session.config
    coverage = config.stash.get(_COVERAGE, None)
    if coverage is None:
        return
    lines = config.stash[_VERDICT]
    for spec in _reports(config):
        kind, where = parse_report(spec)
        lines.append(f"phalanx coverage {kind} report: {write_report(coverage, kind, where)}")
    threshold = config.getoption("--phalanx-cov-fail-under")
    if threshold is not None:
        if coverage.percent < threshold:
            session.testsfailed += 1
            lines.append(
                f"FAIL phalanx coverage {coverage.percent:.1f}% is below "
                f"--phalanx-cov-fail-under={threshold:g}"
            )
        else:
            lines.append(f"phalanx coverage {coverage.percent:.1f}% reaches {threshold:g}%")


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    coverage = config.stash.get(_COVERAGE, None)
    if coverage is None:
        return
    terminalreporter.section("phalanx coverage")
    text = coverage.table() or "no state machine ran"
    for line in text.splitlines():
        terminalreporter.write_line(line)
    total = f"TOTAL {coverage.covered}/{coverage.total} ({coverage.percent:.1f}%)"
    terminalreporter.write_line("")
    terminalreporter.write_line(total)
    for line in config.stash[_VERDICT]:
        terminalreporter.write_line(line)


@pytest.fixture
def phalanx_run() -> Callable[..., Execution]:
    """`phalanx.run` for tests: the virtual clock by default; mocks and functions by keyword.

        def test_high_roll(phalanx_run):
            execution = phalanx_run(machine, {}, mocks={"Roll": [Returns({"roll": 6})]})
            assert execution.output == {"roll": 6}

    Every execution counts towards `--phalanx-cov`. Other `phalanx.run`
    options pass through (`start_time`, `callbacks`, ...).
    """

    def run_machine(
        machine: Any,
        input: Any = None,
        *,
        mocks: Any = None,
        functions: Any = None,
        fast: bool = True,
        **options: Any,
    ) -> Execution:
        return run(machine, input, mocks=mocks, functions=functions, fast=fast, **options)

    return run_machine
