"""`phalanx executions` and `phalanx history` over a store written as `phalanx serve` writes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from phalanx.cli.main import COMMANDS, cli
from phalanx.store import Database
from tests.api.server import SRC, post, start
from tests.stored_executions import FAILED, NOON, RUNNING, SUCCEEDED, commit, fill, running_history

BOUND = 30.0
"""Seconds a test waits at most for another thread or process before failing."""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    fill(tmp_path / "phalanx.db")
    return tmp_path / "phalanx.db"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_both_commands_are_listed_with_their_help() -> None:
    listing = invoke("--help").output
    for name in ("executions", "history"):
        assert name in COMMANDS
        assert COMMANDS[name][2] in listing
        assert invoke(name, "--help").exit_code == 0


def test_executions_are_a_table_newest_first(path: Path) -> None:
    result = invoke("executions", "--db", str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "NAME",
        "MACHINE",
        "STATUS",
        "START",
        "(UTC)",
        "STOP",
        "(UTC)",
        "DURATION",
    ]
    assert lines[1].startswith("o-3   orders   RUNNING    2026-12-06 12:00:20  -  ")
    assert lines[2:] == [
        "o-2   orders   FAILED     2026-12-06 12:00:10  2026-12-06 12:00:12  2.000s",
        "b-1   billing  SUCCEEDED  2026-12-06 12:00:05  2026-12-06 14:03:09  2h03m04s",
        "o-1   orders   SUCCEEDED  2026-12-06 12:00:00  2026-12-06 12:02:15  2m15s",
    ]


@pytest.mark.parametrize(
    ("options", "names"),
    [
        pytest.param([], ["o-3", "o-2", "b-1", "o-1"], id="all"),
        pytest.param(["--machine", "orders"], ["o-3", "o-2", "o-1"], id="machine"),
        pytest.param(["--status", "succeeded"], ["b-1", "o-1"], id="status-any-case"),
        pytest.param(["--machine", "orders", "--status", "RUNNING"], ["o-3"], id="both"),
        pytest.param(["--machine", "nobody"], [], id="none"),
    ],
)
def test_executions_json_is_list_executions_answer(
    path: Path, options: list[str], names: list[str]
) -> None:
    result = invoke("executions", "--db", str(path), "--format", "json", *options)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert [item["name"] for item in answer["executions"]] == names
    assert set(answer) == {"executions"}


def test_executions_of_a_machine_with_none_says_so(path: Path) -> None:
    result = invoke("executions", "--db", str(path), "--machine", "nobody")
    assert (result.exit_code, result.output) == (0, "No executions.\n")


def test_an_unknown_status_is_a_usage_error(path: Path) -> None:
    result = invoke("executions", "--db", str(path), "--status", "DONE")
    assert result.exit_code == 2
    assert "'DONE' is not one of" in result.output


def test_the_default_database_is_the_one_serve_uses(path: Path, monkeypatch: Any) -> None:
    (path.parent / ".phalanx").mkdir()
    path.rename(path.parent / ".phalanx" / "phalanx.db")
    monkeypatch.chdir(path.parent)
    result = invoke("executions", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["executions"]) == 4


@pytest.mark.parametrize("command", [["executions"], ["history", FAILED.arn]])
def test_a_missing_database_is_one_line_and_exit_2(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(cli, [*command, "--db", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{missing}: no Phalanx database (phalanx serve creates it; or give --db)"
    ]
    assert not missing.exists()


def test_history_is_a_table_of_events(path: Path) -> None:
    result = invoke("history", FAILED.arn, "--db", str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "TIMESTAMP", "(UTC)", "TYPE", "STATE", "DETAILS"]
    assert [line.split()[3] for line in lines[1:]] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "WaitStateEntered",
        "WaitStateExited",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "FailStateEntered",
        "ExecutionFailed",
    ]
    assert lines[-1].endswith("ExecutionFailed               -                     Oops: it broke")


def test_history_json_is_get_execution_history_answer(path: Path) -> None:
    result = invoke("history", SUCCEEDED.arn, "--db", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)["events"]
    assert [event["type"] for event in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert events[1] == {
        "timestamp": NOON,
        "type": "PassStateEntered",
        "id": 2,
        "previousEventId": 0,
        "stateEnteredEventDetails": {
            "name": "Done",
            "input": '{"n":1}',
            "inputDetails": {"truncated": False},
        },
    }


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        pytest.param("nope", "InvalidArn: Invalid Arn: 'Invalid ARN prefix: nope'", id="not-arn"),
        pytest.param(
            FAILED.arn.replace(":execution:", ":activity:"),
            "InvalidArn: Invalid Arn: 'Resource type not valid in this context: activity'",
            id="not-an-execution",
        ),
        pytest.param(FAILED.arn + "x", f"{FAILED.arn}x: no such execution in {{db}}", id="unknown"),
    ],
)
def test_history_of_a_bad_arn_is_one_line_and_exit_2(path: Path, arn: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["history", arn, "--db", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message.format(db=path)]


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_history_follow_prints_events_as_they_come_and_ends_with_the_execution(
    path: Path, monkeypatch: Any, output_format: str
) -> None:
    # The follower and a writer thread take turns: each look that finds the execution
    # still running lets the writer commit one more event, then looks again.
    looked, written = threading.Semaphore(0), threading.Semaphore(0)

    class TakingTurns:
        def sleep(self, seconds: float) -> None:
            looked.release()
            if not written.acquire(timeout=BOUND):
                raise AssertionError("the writer did not commit the next event")

    monkeypatch.setattr("phalanx.cli.history.RealClock", TakingTurns)
    remaining = running_history()[2:]
    failures: list[str] = []

    def writer() -> None:
        with Database.open(path) as db:
            for event in remaining:
                if not looked.acquire(timeout=BOUND):
                    failures.append(f"the follower did not look again before event {event.id}")
                    return
                commit(db, event)
                written.release()

    thread = threading.Thread(target=writer)
    thread.start()
    result = invoke(
        "history", RUNNING.arn, "--db", str(path), "--follow", "--format", output_format
    )
    thread.join(BOUND)
    assert failures == []
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    if output_format == "text":
        assert lines[0].split()[0] == "ID"
        types = [line.split()[3] for line in lines[1:]]
    else:
        types = [json.loads(line)["type"] for line in lines]
    assert types == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_history_follow_of_an_ended_execution_prints_it_and_exits(path: Path) -> None:
    result = invoke("history", FAILED.arn, "--db", str(path), "--follow")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].split()[3] == "ExecutionFailed"


def test_ctrl_c_while_following_exits_0(path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-m", "phalanx", "history", RUNNING.arn, "--db", str(path)]
    process = subprocess.Popen(
        [*command, "--follow"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    killer = threading.Timer(BOUND, process.kill)
    killer.start()
    try:
        assert process.stdout is not None
        shown = [process.stdout.readline() for _ in range(3)]  # the header and two events
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=BOUND)
    finally:
        killer.cancel()
    assert [line.split()[3] for line in shown[1:]] == ["ExecutionStarted", "PassStateEntered"]
    assert (process.returncode, errors) == (0, "")


def test_the_views_read_a_database_a_running_server_holds(path: Path) -> None:
    server = start(path)
    try:
        listed = invoke("executions", "--db", str(path), "--format", "json")
        shown = invoke("history", FAILED.arn, "--db", str(path), "--format", "json")
        reply, _, created = post(server.url, "CreateActivity", {"name": "after-the-views"})
    finally:
        status, _, errors = server.stop()
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.output)["executions"]) == 4
    assert shown.exit_code == 0, shown.output
    assert len(json.loads(shown.output)["events"]) == 11
    assert (reply, "activityArn" in created) == (200, True)
    assert status == 0, errors
