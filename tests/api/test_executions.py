"""Executions through boto3 against a real `phalanx serve --virtual-clock`.

Waits end as soon as nothing else runs (the virtual clock), so these tests
never sleep for a Wait; `finished()` polls until the execution has ended.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import ROLE, client
from tests.api.server import RunningServer, start

FUNCTIONS = """
import phalanx


@phalanx.function
def add(event, context):
    return event["a"] + event["b"]


declared = phalanx.StateMachine.of(phalanx.Task("Add", add), name="declared", type="EXPRESS")
"""

MOCKS = {
    "StateMachines": {
        "mocked": {"TestCases": {"Happy": {"Add": "Seven"}, "Sad": {"Add": "Broken"}}}
    },
    "MockedResponses": {
        "Seven": {"0": {"Return": 7}},
        "Broken": {"0": {"Throw": {"Error": "Boom", "Cause": "mocked"}}},
    },
}

ADD = {
    "StartAt": "Add",
    "States": {
        "Add": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:eu-west-1:000000000000:function:add",
            "End": True,
        }
    },
}
SLOW = {
    "StartAt": "Nap",
    "States": {
        "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}
CALLBACK = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}},
            "End": True,
        }
    },
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("executions")
    (folder / "functions.py").write_text(FUNCTIONS, encoding="utf-8")
    (folder / "mocks.json").write_text(json.dumps(MOCKS), encoding="utf-8")
    running = start(
        folder / "phalanx.db",
        "--functions",
        str(folder / "functions.py"),
        "--mock-config",
        str(folder / "mocks.json"),
        "--virtual-clock",
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def sfn(served: RunningServer) -> Any:
    return client(served.url)


def machine(sfn: Any, name: str, definition: dict[str, Any], kind: str = "STANDARD") -> str:
    created = sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=ROLE, type=kind
    )
    return str(created["stateMachineArn"])


def finished(sfn: Any, arn: str) -> dict[str, Any]:
    """DescribeExecution once the execution has ended (polls; fails after 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        described: dict[str, Any] = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        assert time.monotonic() < deadline, f"{arn} still running"
        time.sleep(0.02)


def history(sfn: Any, arn: str, **options: Any) -> list[dict[str, Any]]:
    return list(sfn.get_execution_history(executionArn=arn, **options)["events"])


def test_an_execution_runs_a_function_of_the_functions_file(sfn: Any) -> None:
    arn = machine(sfn, "adds", ADD)
    started = sfn.start_execution(stateMachineArn=arn, name="one", input='{"a": 2, "b": 3}')
    assert started["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:adds:one"
    described = finished(sfn, started["executionArn"])
    assert (described["status"], described["output"]) == ("SUCCEEDED", "5")
    assert described["input"] == '{"a": 2, "b": 3}'
    types = [event["type"] for event in history(sfn, started["executionArn"])]
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded"
    assert "LambdaFunctionSucceeded" in types


def test_start_execution_is_idempotent_on_name_and_input_while_running(sfn: Any) -> None:
    arn = machine(sfn, "callback-idempotent", CALLBACK)
    first = sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
    again = sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
    assert again["executionArn"] == first["executionArn"]
    assert again["startDate"] == first["startDate"]
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=arn, name="same", input='{"other": 1}')
    sfn.stop_execution(executionArn=first["executionArn"])
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):  # ended: the name is taken
        sfn.start_execution(stateMachineArn=arn, name="same", input="{}")


def test_a_wait_ends_on_the_virtual_clock(sfn: Any) -> None:
    arn = machine(sfn, "slow", SLOW)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    described = finished(sfn, execution)
    assert described["status"] == "SUCCEEDED"
    elapsed = described["stopDate"] - described["startDate"]
    assert elapsed.total_seconds() >= 3600


def test_stop_execution_aborts_it_with_error_and_cause(sfn: Any) -> None:
    arn = machine(sfn, "stopped", CALLBACK)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    stopped = sfn.stop_execution(executionArn=execution, error="Halt", cause="enough")
    described = sfn.describe_execution(executionArn=execution)
    assert (described["status"], described["error"], described["cause"]) == (
        "ABORTED",
        "Halt",
        "enough",
    )
    assert described["stopDate"] == stopped["stopDate"]
    last = history(sfn, execution, reverseOrder=True, maxResults=1)[0]
    assert last["type"] == "ExecutionAborted"
    assert last["executionAbortedEventDetails"] == {"error": "Halt", "cause": "enough"}


def test_send_task_success_answers_a_callback_once(sfn: Any) -> None:
    arn = machine(sfn, "asks", CALLBACK)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    token = _token(sfn, execution)
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output='{"approved": true}')
    assert finished(sfn, execution)["output"] == '{"approved":true}'
    with pytest.raises(sfn.exceptions.TaskDoesNotExist):
        sfn.send_task_success(taskToken=token, output="{}")


def test_send_task_failure_fails_the_task(sfn: Any) -> None:
    arn = machine(sfn, "asks-fail", CALLBACK)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.send_task_failure(taskToken=_token(sfn, execution), error="No", cause="refused")
    described = finished(sfn, execution)
    assert (described["status"], described["error"], described["cause"]) == (
        "FAILED",
        "No",
        "refused",
    )


@pytest.mark.parametrize(
    ("token", "error"),
    [
        pytest.param("not-a-token", "InvalidToken", id="malformed"),
        pytest.param("AQ" + "A" * 64, "TaskDoesNotExist", id="unknown"),
    ],
)
def test_task_tokens_nobody_issued_are_refused(sfn: Any, token: str, error: str) -> None:
    with pytest.raises(getattr(sfn.exceptions, error)):
        sfn.send_task_success(taskToken=token, output="{}")


def test_send_task_success_refuses_output_that_is_not_json(sfn: Any) -> None:
    arn = machine(sfn, "asks-json", CALLBACK)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    with pytest.raises(sfn.exceptions.InvalidOutput):
        sfn.send_task_success(taskToken=_token(sfn, execution), output="{nope")


def _token(sfn: Any, execution: str) -> str:
    deadline = time.monotonic() + 30
    while True:
        for event in history(sfn, execution):
            if event["type"] == "TaskScheduled":
                details = json.loads(event["taskScheduledEventDetails"]["parameters"])
                return str(details["MessageBody"]["token"])
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_an_activity_task_goes_to_a_polling_worker(sfn: Any) -> None:
    activity = sfn.create_activity(name="review")["activityArn"]
    definition = {
        "StartAt": "Review",
        "States": {"Review": {"Type": "Task", "Resource": activity, "End": True}},
    }
    execution = sfn.start_execution(
        stateMachineArn=machine(sfn, "reviews", definition), input='{"doc": 1}'
    )["executionArn"]
    task = sfn.get_activity_task(activityArn=activity, workerName="alice")
    assert json.loads(task["input"]) == {"doc": 1}
    sfn.send_task_success(taskToken=task["taskToken"], output='"ok"')
    assert finished(sfn, execution)["output"] == '"ok"'
    started = [e for e in history(sfn, execution) if e["type"] == "ActivityStarted"]
    assert started[0]["activityStartedEventDetails"] == {"workerName": "alice"}


def test_history_pages_reverse_and_leaves_data_out_on_request(sfn: Any) -> None:
    arn = machine(sfn, "paged", ADD)
    execution = sfn.start_execution(stateMachineArn=arn, input='{"a": 1, "b": 1}')["executionArn"]
    finished(sfn, execution)
    every = history(sfn, execution)
    assert [e["id"] for e in every] == list(range(1, len(every) + 1))
    first = sfn.get_execution_history(executionArn=execution, maxResults=2)
    rest = sfn.get_execution_history(executionArn=execution, nextToken=first["nextToken"])
    assert first["events"] + rest["events"] == every
    assert history(sfn, execution, reverseOrder=True) == every[::-1]
    bare = history(sfn, execution, includeExecutionData=False)
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert "input" in every[0]["executionStartedEventDetails"]


def test_history_pages_backward_and_a_token_is_for_its_own_listing(sfn: Any) -> None:
    arn = machine(sfn, "paged-back", ADD)
    execution = sfn.start_execution(stateMachineArn=arn, input='{"a": 1, "b": 1}')["executionArn"]
    other = sfn.start_execution(stateMachineArn=arn, input='{"a": 2, "b": 2}')["executionArn"]
    finished(sfn, execution)
    finished(sfn, other)
    every = history(sfn, execution)
    pages, token = [], None
    while True:
        more = {"nextToken": token} if token else {}
        answer = sfn.get_execution_history(
            executionArn=execution, maxResults=2, reverseOrder=True, **more
        )
        pages.append(answer["events"])
        token = answer.get("nextToken")
        if token is None:
            break
    assert [e for page in pages for e in page] == every[::-1]
    assert len(pages) == (len(every) + 1) // 2
    first = sfn.get_execution_history(executionArn=execution, maxResults=2)
    for wrong in (
        {"executionArn": other, "nextToken": first["nextToken"]},  # another execution's
        {"executionArn": execution, "reverseOrder": True, "nextToken": first["nextToken"]},
        {"executionArn": execution, "nextToken": first["nextToken"][:-4] + "AAAA"},
    ):
        with pytest.raises(sfn.exceptions.InvalidToken):
            sfn.get_execution_history(**wrong)


def test_list_executions_filters_by_status_and_pages(sfn: Any) -> None:
    arn = machine(sfn, "listed", CALLBACK)
    names = ["l1", "l2", "l3"]
    arns = [sfn.start_execution(stateMachineArn=arn, name=n)["executionArn"] for n in names]
    sfn.stop_execution(executionArn=arns[0])
    running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
    assert sorted(e["name"] for e in running) == ["l2", "l3"]
    page = sfn.list_executions(stateMachineArn=arn, maxResults=2)
    rest = sfn.list_executions(stateMachineArn=arn, nextToken=page["nextToken"])
    assert sorted(e["name"] for e in page["executions"] + rest["executions"]) == names
    for execution in arns[1:]:
        sfn.stop_execution(executionArn=execution)


def test_an_execution_of_a_version_or_an_alias_says_so(sfn: Any) -> None:
    arn = machine(sfn, "versioned", ADD)
    version = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    alias = sfn.create_state_machine_alias(
        name="live", routingConfiguration=[{"stateMachineVersionArn": version, "weight": 100}]
    )["stateMachineAliasArn"]
    by_alias = sfn.start_execution(stateMachineArn=alias, input='{"a": 1, "b": 2}')
    described = finished(sfn, by_alias["executionArn"])
    assert described["stateMachineVersionArn"] == version
    assert described["stateMachineAliasArn"] == alias
    for_execution = sfn.describe_state_machine_for_execution(executionArn=by_alias["executionArn"])
    assert for_execution["stateMachineArn"] == version
    assert json.loads(for_execution["definition"]) == ADD


def test_start_sync_execution_answers_an_express_execution_when_it_ends(sfn: Any) -> None:
    arn = sfn.list_state_machines()["stateMachines"]
    declared = next(m for m in arn if m["name"] == "declared")
    assert declared["type"] == "EXPRESS"  # the functions file's machine, with its declared type
    answer = sfn.start_sync_execution(
        stateMachineArn=declared["stateMachineArn"], input='{"a": 20, "b": 22}'
    )
    assert (answer["status"], answer["output"]) == ("SUCCEEDED", "42")
    assert ":express:declared:" in answer["executionArn"]


def test_start_sync_execution_refuses_a_standard_machine(sfn: Any) -> None:
    arn = machine(sfn, "standard-only", ADD)
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.start_sync_execution(stateMachineArn=arn)


@pytest.mark.parametrize(
    ("case", "status", "output"),
    [
        pytest.param("Happy", "SUCCEEDED", "7", id="returns"),
        pytest.param("Sad", "FAILED", None, id="throws"),
    ],
)
def test_a_mock_config_test_case_answers_the_mocked_states(
    sfn: Any, case: str, status: str, output: str | None
) -> None:
    try:
        arn = machine(sfn, "mocked", ADD)
    except sfn.exceptions.StateMachineAlreadyExists:
        arn = "arn:aws:states:us-east-1:123456789012:stateMachine:mocked"
    started = sfn.start_execution(stateMachineArn=f"{arn}#{case}", input='{"a": 0, "b": 0}')
    described = finished(sfn, started["executionArn"])
    assert (described["status"], described.get("output")) == (status, output)


def test_an_unknown_test_case_is_refused(sfn: Any) -> None:
    arn = machine(sfn, "mock-refused", ADD)
    with pytest.raises(sfn.exceptions.ClientError, match="no state machine 'mock-refused'"):
        sfn.start_execution(stateMachineArn=f"{arn}#Happy")


@pytest.mark.parametrize(
    ("request_body", "error"),
    [
        pytest.param({"input": "{nope"}, "InvalidExecutionInput", id="input-not-json"),
        pytest.param({"name": "has space"}, "InvalidName", id="bad-name"),
        pytest.param({"input": "x" * 262_145}, "ValidationException", id="input-too-long"),
    ],
)
def test_start_execution_refuses_what_aws_refuses(
    sfn: Any, request_body: dict[str, Any], error: str
) -> None:
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:adds"
    with pytest.raises(sfn.exceptions.ClientError) as raised:
        sfn.start_execution(stateMachineArn=arn, **request_body)
    assert raised.value.response["Error"]["Code"] == error


def test_an_execution_that_does_not_exist_is_execution_does_not_exist(sfn: Any) -> None:
    missing = "arn:aws:states:us-east-1:123456789012:execution:adds:never"
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.describe_execution(executionArn=missing)


def test_running_executions_resume_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "phalanx.db"
    first = start(db)
    sfn = client(first.url)
    arn = machine(sfn, "restarted", CALLBACK)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    token = _token(sfn, execution)
    first.stop()
    second = start(db)
    try:
        sfn = client(second.url)
        sfn.send_task_success(taskToken=token, output='"after"')
        assert finished(sfn, execution)["output"] == '"after"'
    finally:
        second.stop()


DISTRIBUTED = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Echo",
                "States": {"Echo": {"Type": "Pass", "End": True}},
            },
            "Label": "each",
            "End": True,
        }
    },
}


def test_a_distributed_map_is_a_map_run(sfn: Any) -> None:
    arn = machine(sfn, "distributed", DISTRIBUTED)
    execution = sfn.start_execution(stateMachineArn=arn, input="[1, 2, 3]")["executionArn"]
    assert finished(sfn, execution)["output"] == "[1,2,3]"
    listed = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert [m["stateMachineArn"] for m in listed] == [f"{arn}/each"]
    described = sfn.describe_map_run(mapRunArn=listed[0]["mapRunArn"])
    assert described["status"] == "SUCCEEDED"
    assert (described["itemCounts"]["total"], described["itemCounts"]["succeeded"]) == (3, 3)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_map_run(mapRunArn=listed[0]["mapRunArn"] + "x")


def test_a_timed_out_callback_answers_task_timed_out(sfn: Any) -> None:
    ask = CALLBACK["States"]["Ask"]
    definition = {
        "StartAt": "Ask",
        "States": {
            # 60 s pass at once on the virtual clock; the execution goes on to Again.
            "Ask": {
                **ask,
                "TimeoutSeconds": 60,
                "End": False,
                "Next": "Again",
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Again"}],
            },
            "Again": ask,
        },
    }
    del definition["States"]["Ask"]["End"]
    execution = sfn.start_execution(stateMachineArn=machine(sfn, "times-out", definition))
    arn = execution["executionArn"]
    first = _token(sfn, arn)
    deadline = time.monotonic() + 30
    while len(scheduled := _scheduled_tokens(sfn, arn)) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert scheduled[0] == first
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=first, output="{}")
    sfn.send_task_success(taskToken=scheduled[1], output='"second"')
    assert finished(sfn, arn)["output"] == '"second"'


def _scheduled_tokens(sfn: Any, execution: str) -> list[str]:
    return [
        json.loads(e["taskScheduledEventDetails"]["parameters"])["MessageBody"]["token"]
        for e in history(sfn, execution)
        if e["type"] == "TaskScheduled"
    ]
