"""The event that shows a call started again after a crash, in a Parallel.

Two branches call different functions through different integrations (a
legacy Lambda ARN: `LambdaFunctionStarted`; `lambda:invoke`: `TaskStarted`).
The server is killed with SIGKILL while both calls run; on restart each call
runs again, and its restart event copies its own branch's `...Started` event.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

from tests.api.conftest import client
from tests.api.server import start
from tests.api.test_executions import finished, history, machine

FUNCTIONS = """
import pathlib
import time

import phalanx

FOLDER = pathlib.Path({folder!r})


def held(name):
    (FOLDER / f"{{name}}.started").touch()
    ends = time.monotonic() + 60
    while not (FOLDER / "go").exists() and time.monotonic() < ends:
        time.sleep(0.02)
    return name


@phalanx.function
def left(event, context):
    return held("left")


@phalanx.function
def right(event, context):
    return held("right")
"""

BOTH = {
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Left",
                    "States": {
                        "Left": {
                            "Type": "Task",
                            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:left",
                            "End": True,
                        }
                    },
                },
                {
                    "StartAt": "Right",
                    "States": {
                        "Right": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"FunctionName": "right", "Payload": {}},
                            "OutputPath": "$.Payload",
                            "End": True,
                        }
                    },
                },
            ],
            "End": True,
        }
    },
}


def _until(done: Any, what: str) -> None:
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, f"{what} did not happen"
        time.sleep(0.02)


def test_each_restarted_call_in_a_parallel_shows_its_own_started_event(tmp_path: Path) -> None:
    functions = tmp_path / "functions.py"
    functions.write_text(FUNCTIONS.format(folder=str(tmp_path)), encoding="utf-8")
    server = start(tmp_path / "phalanx.db", "--functions", str(functions))
    try:
        sfn = client(server.url)
        arn = machine(sfn, "both", BOTH)
        execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
        _until(
            lambda: (tmp_path / "left.started").exists() and (tmp_path / "right.started").exists(),
            "both calls starting",
        )
    finally:
        server.process.send_signal(signal.SIGKILL)
        server.process.communicate()
    (tmp_path / "go").touch()
    server = start(tmp_path / "phalanx.db", "--functions", str(functions))
    try:
        sfn = client(server.url)
        described = finished(sfn, execution)
        assert (described["status"], json.loads(described["output"])) == (
            "SUCCEEDED",
            ["left", "right"],
        )
        events = history(sfn, execution)
    finally:
        server.stop()
    by_id = {event["id"]: event for event in events}
    started = [e for e in events if e["type"] in ("LambdaFunctionStarted", "TaskStarted")]
    first = {e["id"] for e in started[:2]}
    restarts = started[2:]
    assert len(restarts) == 2, [e["type"] for e in events]
    assert {e["previousEventId"] for e in restarts} == first
    for restart in restarts:
        original = by_id[restart["previousEventId"]]
        assert restart["type"] == original["type"]
        assert restart.get("taskStartedEventDetails") == original.get("taskStartedEventDetails")
