"""`phalanx serve --endpoint-url`: integrations through boto3, nested machines as executions."""

from __future__ import annotations

import contextlib
import json
import runpy
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import ROLE, client
from tests.api.server import RunningServer, start
from tests.api.test_executions import finished
from tests.aws_emulator import moto_server

SAGA = Path(__file__).resolve().parents[2] / "examples" / "saga.py"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:nested-work"

# A parent that starts Worker with .sync:2 and waits; Worker waits on an activity,
# so the test decides when the child ends (no clock involved).
WAITING = f'''
from phalanx import StateMachine

Worker = StateMachine.from_asl({{
    "StartAt": "Work",
    "States": {{"Work": {{"Type": "Task", "Resource": "{ACTIVITY}", "End": True}}}},
}})
Parent = StateMachine.from_asl({{
    "StartAt": "Child",
    "States": {{"Child": {{
        "Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {{
            "StateMachineArn": "arn:aws:states:eu-west-1:111111111111:stateMachine:Worker",
            "Input": {{
                "n.$": "$.n",
                "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id",
            }},
        }},
        "ResultSelector": {{"output.$": "$.Output", "status.$": "$.Status"}},
        "End": True,
    }}}},
}})
'''


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


def machine_arn(name: str) -> str:
    return f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}"


def test_serve_calls_dynamodb_through_boto3_and_runs_the_nested_machine(
    tmp_path: Path, moto_url: str
) -> None:
    import boto3

    dynamodb = boto3.client("dynamodb", endpoint_url=moto_url)
    # moto's servers in one process share their data: another module may have the table.
    with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):
        runpy.run_path(str(SAGA))["create_table"](moto_url)
    server = start(tmp_path / "phalanx.db", "--functions", str(SAGA), "--endpoint-url", moto_url)
    try:
        sfn = client(server.url)
        trip = {"trip": "serve-1", "flight": "SF1", "room": "SR1", "car": "SC1"}
        parent = sfn.start_execution(
            stateMachineArn=machine_arn("BookTrip"), input=json.dumps(trip)
        )
        described = finished(sfn, parent["executionArn"])
        assert described["status"] == "SUCCEEDED", described
        output = json.loads(described["output"])
        assert output["carBooking"]["car"] == "SC1"  # the child's output, as JSON (.sync:2)

        children = sfn.list_executions(stateMachineArn=machine_arn("BookCar"))["executions"]
        assert [child["executionArn"] for child in children] == [output["carBooking"]["execution"]]
        child = sfn.describe_execution(executionArn=children[0]["executionArn"])
        assert child["status"] == "SUCCEEDED"
        assert (
            json.loads(child["input"])["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"]
            == (parent["executionArn"])
        )
        events = sfn.get_execution_history(executionArn=child["executionArn"])["events"]
        assert events[0]["type"] == "ExecutionStarted"
        assert events[-1]["type"] == "ExecutionSucceeded"

        items = dynamodb.scan(TableName="saga-bookings")["Items"]
        booked = {item["pk"]["S"] for item in items if item["trip"]["S"] == "serve-1"}
        assert booked == {"FLIGHT#SF1", "HOTEL#SR1", "CAR#SC1"}
    finally:
        server.stop()
        dynamodb.delete_table(TableName="saga-bookings")


def test_serve_without_aws_names_the_options(tmp_path: Path) -> None:
    server = start(tmp_path / "phalanx.db", "--functions", str(SAGA))
    try:
        sfn = client(server.url)
        trip = {"trip": "t9", "flight": "F9", "room": "R9", "car": "C9"}
        parent = sfn.start_execution(
            stateMachineArn=machine_arn("BookTrip"), input=json.dumps(trip)
        )
        described = finished(sfn, parent["executionArn"])
        assert described["status"] == "FAILED"
        history = sfn.get_execution_history(executionArn=parent["executionArn"])["events"]
        failures = [e for e in history if e["type"] == "TaskFailed"]
        cause = failures[0]["taskFailedEventDetails"]["cause"]
        assert "--aws" in cause and "--endpoint-url" in cause
    finally:
        server.stop()


def test_a_parent_waiting_on_its_child_survives_kill_9(tmp_path: Path) -> None:
    functions = tmp_path / "machines.py"
    functions.write_text(WAITING)
    db = tmp_path / "phalanx.db"
    server: RunningServer = start(db, "--functions", str(functions))
    try:
        sfn = client(server.url)
        sfn.create_activity(name="nested-work")
        parent = sfn.start_execution(stateMachineArn=machine_arn("Parent"), input='{"n": 7}')
        task = sfn.get_activity_task(activityArn=ACTIVITY)  # the child is running and waits
        assert json.loads(task["input"])["n"] == 7
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()

        server = start(db, "--functions", str(functions))
        sfn = client(server.url)
        children = sfn.list_executions(stateMachineArn=machine_arn("Worker"))["executions"]
        assert [child["status"] for child in children] == ["RUNNING"]
        sfn.send_task_success(taskToken=task["taskToken"], output='{"done": 7}')

        described = finished(sfn, parent["executionArn"])
        assert described["status"] == "SUCCEEDED", described
        assert json.loads(described["output"]) == {"output": {"done": 7}, "status": "SUCCEEDED"}
        children = sfn.list_executions(stateMachineArn=machine_arn("Worker"))["executions"]
        assert [child["status"] for child in children] == ["SUCCEEDED"]
    finally:
        server.stop()


def _task(resource: str, parameters: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "Parameters": parameters, **more}


def _create(sfn: Any, name: str, states: dict[str, Any]) -> str:
    definition = {"StartAt": next(iter(states)), "States": states}
    created = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)
    return str(created["stateMachineArn"])


def test_serve_sends_the_token_over_sqs_and_waits_for_it(tmp_path: Path, moto_url: str) -> None:
    import boto3

    sqs = boto3.client("sqs", endpoint_url=moto_url)
    queue = sqs.create_queue(QueueName="serve-tokens")["QueueUrl"]
    server = start(tmp_path / "phalanx.db", "--endpoint-url", moto_url)
    try:
        sfn = client(server.url)
        ask = _task(
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token"}},
            End=True,
        )
        arn = _create(sfn, "Asker", {"Ask": ask})
        execution = sfn.start_execution(stateMachineArn=arn)
        messages: list[Any] = []
        while not messages:  # the message goes out once the task is committed
            messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
        token = json.loads(messages[0]["Body"])["token"]
        sfn.send_task_success(taskToken=token, output='{"ok": true}')
        described = finished(sfn, execution["executionArn"])
        assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"ok": True})
    finally:
        server.stop()


def test_a_plain_start_and_a_token_child_run_in_the_server(tmp_path: Path) -> None:
    server = start(tmp_path / "phalanx.db")
    try:
        sfn = client(server.url)
        helper = _create(sfn, "Helper", {"Echo": {"Type": "Pass", "End": True}})
        start_it = "arn:aws:states:::states:startExecution"
        parent_arn = _create(
            sfn,
            "Delegate",
            {
                "Fire": _task(
                    start_it, {"StateMachineArn": helper, "Input": {"n": 1}},
                    ResultPath="$.fired", Next="Ask",
                ),
                "Ask": _task(
                    start_it + ".waitForTaskToken",
                    {"StateMachineArn": helper, "Input": {"token.$": "$$.Task.Token"}},
                    ResultPath="$.answer", End=True,
                ),
            },
        )  # fmt: skip
        parent = sfn.start_execution(stateMachineArn=parent_arn, input="{}")
        token = None
        while token is None:  # the second child carries the token in its input
            for child in sfn.list_executions(stateMachineArn=helper)["executions"]:
                described = sfn.describe_execution(executionArn=child["executionArn"])
                token = json.loads(described["input"]).get("token", token)
        sfn.send_task_success(taskToken=token, output='"done"')
        described = finished(sfn, parent["executionArn"])
        output = json.loads(described["output"])
        assert described["status"] == "SUCCEEDED"
        assert output["answer"] == "done"
        assert set(output["fired"]) == {"ExecutionArn", "StartDate"}
        children = sfn.list_executions(stateMachineArn=helper)["executions"]
        assert output["fired"]["ExecutionArn"] in {child["executionArn"] for child in children}
        assert len(children) == 2
    finally:
        server.stop()
