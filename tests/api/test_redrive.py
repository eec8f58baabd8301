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
import json
import pathlib

import phalanx


@phalanx.function
def counted(event, context):
    log = pathlib.Path(event["log"])
    with log.open("a") as lines:
        lines.write(json.dumps(event["name"]) + "\\n")
    flag = log.with_name(f"{log.name}.{event['name']}.failed")
    if event.get("failOnce") and not flag.exists():
        flag.write_text("failed once")
        raise RuntimeError(f"{event['name']} fails the first time")
    return event["name"]


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


def _counted(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:counted",
        "Parameters": {"log.$": "$.log", "name": name, **extra},
        "End": True,
    }


def _runs(log: Path) -> list[str]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _redriven_part(sfn: Any, execution: str) -> list[dict[str, Any]]:
    """The events after the last ExecutionRedriven (ids contiguous over the whole history)."""
    events = history(sfn, execution)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    start = max(i for i, e in enumerate(events) if e["type"] == "ExecutionRedriven")
    return events[start + 1 :]


def test_a_redriven_parallel_reruns_only_its_failed_branch(sfn: Any, tmp_path: Path) -> None:
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Steady", "States": {"Steady": _counted("steady")}},
                    {
                        # It fails once the other branch has succeeded (not aborted by it).
                        "StartAt": "Pause",
                        "States": {
                            "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Shaky"},
                            "Shaky": _counted("shaky", failOnce=True),
                        },
                    },
                ],
                "End": True,
            }
        },
    }
    log = tmp_path / "parallel.log"
    arn = machine(sfn, "redrive-parallel", definition)
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"log": str(log)}))
    assert finished(sfn, execution["executionArn"])["status"] == "FAILED"
    sfn.redrive_execution(executionArn=execution["executionArn"])
    described = finished(sfn, execution["executionArn"])
    assert (described["status"], json.loads(described["output"])) == (
        "SUCCEEDED",
        ["steady", "shaky"],
    )
    assert sorted(_runs(log)) == ["shaky", "shaky", "steady"]  # the steady branch ran once
    rerun = _redriven_part(sfn, execution["executionArn"])
    types = [e["type"] for e in rerun]
    assert types[:2] == ["ParallelStateEntered", "ParallelStateStarted"]
    assert types.count("TaskStateEntered") == 1
    entered = [e["stateEnteredEventDetails"]["name"] for e in rerun if "Entered" in e["type"]]
    assert entered == ["Both", "Pause", "Shaky"]


def test_a_redriven_inline_map_reruns_only_its_failed_iterations(sfn: Any, tmp_path: Path) -> None:
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {
                    "log.$": "$.log",
                    "name.$": "$$.Map.Item.Value.name",
                    "failOnce.$": "$$.Map.Item.Value.failOnce",
                    "pause.$": "$$.Map.Item.Value.pause",
                },
                "ItemProcessor": {
                    "StartAt": "Pause",
                    "States": {
                        # The failing item fails once the others have succeeded.
                        "Pause": {"Type": "Wait", "SecondsPath": "$.pause", "Next": "Work"},
                        "Work": {
                            **_counted("any"),
                            "Parameters": {
                                "log.$": "$.log",
                                "name.$": "$.name",
                                "failOnce.$": "$.failOnce",
                            },
                        },
                    },
                },
                "End": True,
            }
        },
    }
    log = tmp_path / "map.log"
    items = [
        {"name": name, "failOnce": name == "b", "pause": 5 if name == "b" else 0}
        for name in ("a", "b", "c")
    ]
    arn = machine(sfn, "redrive-map", definition)
    execution = sfn.start_execution(
        stateMachineArn=arn, input=json.dumps({"log": str(log), "items": items})
    )["executionArn"]
    assert finished(sfn, execution)["status"] == "FAILED"
    sfn.redrive_execution(executionArn=execution)
    described = finished(sfn, execution)
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", ["a", "b", "c"])
    assert sorted(_runs(log)) == ["a", "b", "b", "c"]
    rerun = _redriven_part(sfn, execution)
    started = [
        e["mapIterationStartedEventDetails"] for e in rerun if e["type"] == "MapIterationStarted"
    ]
    assert started == [{"index": 1, "name": "Each"}]
    assert rerun[1]["mapStateStartedEventDetails"] == {"length": 3}


def test_an_aborted_execution_is_redriven_from_the_state_it_was_stopped_in(
    sfn: Any, tmp_path: Path
) -> None:
    activity = sfn.create_activity(name="stopped-review")["activityArn"]
    definition = {
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Result": {"draft": 1}, "Next": "Review"},
            "Review": {"Type": "Task", "Resource": activity, "End": True},
        },
    }
    arn = machine(sfn, "redrive-aborted", definition)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    first = sfn.get_activity_task(activityArn=activity, workerName="first")
    sfn.stop_execution(executionArn=execution, error="Halt", cause="by hand")
    described = sfn.describe_execution(executionArn=execution)
    assert (described["status"], described["redriveStatus"]) == ("ABORTED", "REDRIVABLE")
    before = history(sfn, execution)
    sfn.redrive_execution(executionArn=execution)
    again = sfn.get_activity_task(activityArn=activity, workerName="again")
    assert again["taskToken"] != first["taskToken"]
    assert json.loads(again["input"]) == json.loads(first["input"]) == {"draft": 1}
    gone = (sfn.exceptions.TaskDoesNotExist, sfn.exceptions.TaskTimedOut)
    with pytest.raises(gone):  # the stopped attempt's task does not answer the rerun
        sfn.send_task_success(taskToken=first["taskToken"], output="{}")
    sfn.send_task_success(taskToken=again["taskToken"], output='{"approved": true}')
    described = finished(sfn, execution)
    assert (described["status"], described["output"]) == ("SUCCEEDED", '{"approved":true}')
    assert described["redriveCount"] == 1
    events = history(sfn, execution)
    assert events[: len(before)] == before
    assert before[-1]["type"] == "ExecutionAborted"
    redriven = events[len(before)]
    assert (redriven["type"], redriven["previousEventId"]) == (
        "ExecutionRedriven",
        before[-1]["id"],
    )
    rerun = _redriven_part(sfn, execution)
    assert rerun[0]["stateEnteredEventDetails"]["name"] == "Review"
    assert "PassStateEntered" not in [e["type"] for e in rerun]
