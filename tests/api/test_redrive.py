"""RedriveExecution through boto3 against a real `phalanx serve --virtual-clock`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import client
from tests.api.server import RunningServer, start
from tests.api.test_executions import finished, history, machine

FUNCTIONS = """
import pathlib

import phalanx


@phalanx.function
def flaky(event, context):
    flag = pathlib.Path(event["flag"])
    if not flag.exists():
        flag.write_text("failed once")
        raise RuntimeError("the first call fails")
    return {"called": "again"}
"""

FLAKY = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"flag.$": "$.flag"}, "Next": "Call"},
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky",
            "Next": "Count",
        },
        "Count": {
            "Type": "Pass",
            "Parameters": {"result.$": "$", "redrives.$": "$$.Execution.RedriveCount"},
            "End": True,
        },
    },
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("redrive")
    (folder / "functions.py").write_text(FUNCTIONS, encoding="utf-8")
    running = start(
        folder / "phalanx.db", "--functions", str(folder / "functions.py"), "--virtual-clock"
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def sfn(served: RunningServer) -> Any:
    return client(served.url)


def failed_once(sfn: Any, tmp_path: Path, name: str) -> str:
    arn = machine(sfn, name, FLAKY)
    flag = str(tmp_path / f"{name}.flag")
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"flag": flag}))
    described = finished(sfn, execution["executionArn"])
    assert described["status"] == "FAILED"
    assert (described["redriveStatus"], described["redriveCount"]) == ("REDRIVABLE", 0)
    return str(execution["executionArn"])


def test_a_failed_execution_is_redriven_from_the_state_that_failed(
    sfn: Any, tmp_path: Path
) -> None:
    execution = failed_once(sfn, tmp_path, "flaky")
    before = history(sfn, execution)
    redriven = sfn.redrive_execution(executionArn=execution)
    described = finished(sfn, execution)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"result": {"called": "again"}, "redrives": 1}
    assert described["redriveCount"] == 1
    assert described["redriveDate"] == redriven["redriveDate"]
    assert (described["redriveStatus"], "error" in described) == ("NOT_REDRIVABLE", False)
    events = history(sfn, execution)
    assert events[: len(before)] == before  # the first attempt's events stay
    assert before[-1]["type"] == "ExecutionFailed"
    again = events[len(before)]
    assert again["type"] == "ExecutionRedriven"
    assert again["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert again["previousEventId"] == before[-1]["id"]
    rerun = [event["type"] for event in events[len(before) + 1 :]]
    assert rerun[0] == "TaskStateEntered" and rerun[-1] == "ExecutionSucceeded"
    assert events[len(before) + 1]["stateEnteredEventDetails"]["name"] == "Call"
    assert "PassStateEntered" in rerun  # Count ran; Prepare did not run again
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    listed = sfn.list_executions(stateMachineArn=described["stateMachineArn"])
    assert listed["executions"][0]["redriveCount"] == 1


def test_the_same_client_token_answers_the_same_redrive(sfn: Any, tmp_path: Path) -> None:
    execution = failed_once(sfn, tmp_path, "flaky-token")
    first = sfn.redrive_execution(executionArn=execution, clientToken="once")
    again = sfn.redrive_execution(executionArn=execution, clientToken="once")
    assert again["redriveDate"] == first["redriveDate"]
    assert finished(sfn, execution)["redriveCount"] == 1


def test_a_succeeded_execution_is_not_redrivable(sfn: Any, tmp_path: Path) -> None:
    execution = failed_once(sfn, tmp_path, "flaky-twice")
    sfn.redrive_execution(executionArn=execution)
    assert finished(sfn, execution)["status"] == "SUCCEEDED"
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable):
        sfn.redrive_execution(executionArn=execution)


def test_an_unknown_execution_does_not_exist(sfn: Any) -> None:
    missing = "arn:aws:states:us-east-1:123456789012:execution:flaky:missing"
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.redrive_execution(executionArn=missing)


def test_a_redriven_execution_resumes_from_its_journal_after_a_restart(tmp_path: Path) -> None:
    (tmp_path / "functions.py").write_text(FUNCTIONS, encoding="utf-8")
    options = ("--functions", str(tmp_path / "functions.py"), "--virtual-clock")
    server = start(tmp_path / "phalanx.db", *options)
    try:
        sfn = client(server.url)
        activity = sfn.create_activity(name="review")["activityArn"]
        states = {**FLAKY["States"], "Count": {**FLAKY["States"]["Count"], "Next": "Review"}}
        del states["Count"]["End"]
        states["Review"] = {"Type": "Task", "Resource": activity, "End": True}
        arn = machine(sfn, "flaky-review", {**FLAKY, "States": states})
        flag = json.dumps({"flag": str(tmp_path / "review.flag")})
        execution = sfn.start_execution(stateMachineArn=arn, input=flag)["executionArn"]
        assert finished(sfn, execution)["status"] == "FAILED"
        sfn.redrive_execution(executionArn=execution)
        task = sfn.get_activity_task(activityArn=activity, workerName="before")
        assert json.loads(task["input"])["redrives"] == 1
        before = history(sfn, execution)
    finally:
        server.stop()
    server = start(tmp_path / "phalanx.db", *options)
    try:
        sfn = client(server.url)
        sfn.send_task_success(taskToken=task["taskToken"], output='{"ok": true}')
        described = finished(sfn, execution)
        assert (described["status"], described["output"]) == ("SUCCEEDED", '{"ok":true}')
        events = history(sfn, execution)
        assert events[: len(before)] == before
        assert [e["id"] for e in events] == list(range(1, len(events) + 1))
        assert [e["type"] for e in events].count("ExecutionRedriven") == 1
    finally:
        server.stop()


def test_a_client_token_answers_the_same_redrive_after_a_restart(tmp_path: Path) -> None:
    (tmp_path / "functions.py").write_text(FUNCTIONS, encoding="utf-8")
    options = ("--functions", str(tmp_path / "functions.py"))
    server = start(tmp_path / "phalanx.db", *options)
    try:
        sfn = client(server.url)
        execution = failed_once(sfn, tmp_path, "flaky-restart")
        first = sfn.redrive_execution(executionArn=execution, clientToken="across")
        assert finished(sfn, execution)["status"] == "SUCCEEDED"
    finally:
        server.stop()
    server = start(tmp_path / "phalanx.db", *options)
    try:
        sfn = client(server.url)
        again = sfn.redrive_execution(executionArn=execution, clientToken="across")
        assert again["redriveDate"] == first["redriveDate"]
        assert sfn.describe_execution(executionArn=execution)["redriveCount"] == 1
        with pytest.raises(sfn.exceptions.ExecutionNotRedrivable):
            sfn.redrive_execution(executionArn=execution, clientToken="another")
    finally:
        server.stop()
