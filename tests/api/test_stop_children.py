"""A parent that stops waiting on a `.sync` child stops the child (AWS grants the
parent's role states:StopExecution on its children for this).

The child waits on an activity nobody works on, so it only ends if stopped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import client
from tests.api.server import RunningServer, start
from tests.api.test_executions import finished, machine

SYNC = "arn:aws:states:::states:startExecution.sync:2"


@pytest.fixture(scope="module")
def sfn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    running: RunningServer = start(tmp_path_factory.mktemp("children") / "phalanx.db")
    try:
        yield client(running.url)
    finally:
        running.stop()


def _child_task(child: str) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": SYNC,
        "Parameters": {"StateMachineArn": child, "Input": {"from.$": "$$.Execution.Id"}},
        "End": True,
    }


def _machines(sfn: Any, name: str, parent_states: dict[str, Any]) -> tuple[str, str]:
    """(child machine, parent machine); `parent_states` may use "{child}" for the child ARN."""
    activity = sfn.create_activity(name=f"{name}-work")["activityArn"]
    child = machine(
        sfn,
        f"{name}-child",
        {
            "StartAt": "Work",
            "States": {"Work": {"Type": "Task", "Resource": activity, "End": True}},
        },
    )
    states = json.loads(json.dumps(parent_states).replace("{child}", child))
    parent = machine(sfn, f"{name}-parent", {"StartAt": next(iter(states)), "States": states})
    return child, parent


def _children(sfn: Any, child_machine: str, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while True:
        found = sfn.list_executions(stateMachineArn=child_machine)["executions"]
        if len(found) >= count:
            return list(found)
        assert time.monotonic() < deadline, "the child did not start"
        time.sleep(0.02)


def test_stopping_a_parent_stops_the_child_it_waits_on(sfn: Any) -> None:
    child_machine, parent_machine = _machines(sfn, "stop", {"Child": _child_task("{child}")})
    parent = sfn.start_execution(stateMachineArn=parent_machine)["executionArn"]
    (child,) = _children(sfn, child_machine, 1)
    sfn.stop_execution(executionArn=parent, error="Halt", cause="by hand")
    described = finished(sfn, child["executionArn"])
    assert described["status"] == "ABORTED"
    history = sfn.get_execution_history(executionArn=child["executionArn"], reverseOrder=True)
    assert history["events"][0]["type"] == "ExecutionAborted"
    assert sfn.describe_execution(executionArn=parent)["status"] == "ABORTED"


def test_a_parent_that_fails_stops_the_child_it_waited_on(sfn: Any) -> None:
    states = {
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Child", "States": {"Child": _child_task("{child}")}},
                {
                    "StartAt": "Pause",
                    "States": {
                        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Broken"},
                        "Broken": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"},
                    },
                },
            ],
            "End": True,
        }
    }
    child_machine, parent_machine = _machines(sfn, "fail", states)
    parent = sfn.start_execution(stateMachineArn=parent_machine)["executionArn"]
    assert finished(sfn, parent)["status"] == "FAILED"
    (child,) = _children(sfn, child_machine, 1)
    assert finished(sfn, child["executionArn"])["status"] == "ABORTED"
