"""Nested machines run in this process, with AWS's input, output shapes and failures."""

from __future__ import annotations

import json
from typing import Any

import pytest

import phalanx
from phalanx.asl import StateMachine

ARN = "arn:aws:states:us-east-1:111111111111:stateMachine:"

CHILDREN = {
    "Echo": StateMachine.from_asl(
        {
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Parameters": {"got.$": "$"}, "End": True}},
        }
    ),
    "Broken": StateMachine.from_asl(
        {
            "StartAt": "F",
            "States": {"F": {"Type": "Fail", "Error": "Nope", "Cause": "child says no"}},
        }
    ),
    "Answer": StateMachine.from_asl(
        {
            "StartAt": "Reply",
            "States": {
                "Reply": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess",
                    "Parameters": {"TaskToken.$": "$.token", "Output": {"answered": True}},
                    "End": True,
                }
            },
        }
    ),
}


def parent(resource: str, machine: str, input: Any) -> dict[str, Any]:
    return {
        "StartAt": "Start",
        "States": {
            "Start": {
                "Type": "Task",
                "Resource": f"arn:aws:states:::states:{resource}",
                "Parameters": {"StateMachineArn": ARN + machine, "Input": input, "Name": "kid"},
                "End": True,
            }
        },
    }


def run(definition: dict[str, Any]) -> Any:
    return phalanx.run(definition, {"v": 1}, fast=True, machines=CHILDREN)


@pytest.mark.parametrize(
    ("pattern", "output"),
    [
        pytest.param(
            "startExecution.sync",
            json.dumps({"got": {"v": 1}}, separators=(",", ":")),
            id="sync-text",
        ),
        pytest.param("startExecution.sync:2", {"got": {"v": 1}}, id="sync2-json"),
    ],
)
def test_sync_returns_describe_execution_with_output_as_aws_shapes_it(
    pattern: str, output: Any
) -> None:
    execution = run(parent(pattern, "Echo", {"v.$": "$.v"}))
    assert execution.status == "SUCCEEDED"
    result = execution.output
    assert result["Status"] == "SUCCEEDED"
    assert result["Output"] == output
    assert result["Name"] == "kid"
    assert result["StateMachineArn"] == ARN + "Echo"
    assert result["ExecutionArn"] == "arn:aws:states:us-east-1:111111111111:execution:Echo:kid"
    assert isinstance(result["StartDate"], int) and result["StopDate"] >= result["StartDate"]


def test_request_response_start_gives_the_execution_arn_and_start_date() -> None:
    execution = run(parent("startExecution", "Echo", {}))
    assert set(execution.output) == {"ExecutionArn", "StartDate"}
    assert execution.children[0].status == "SUCCEEDED"


def test_a_failed_child_fails_the_task_with_its_error_in_the_cause() -> None:
    execution = run(parent("startExecution.sync:2", "Broken", {}))
    assert execution.error == "States.TaskFailed"
    described = json.loads(execution.cause or "")
    assert (described["Status"], described["Error"], described["Cause"]) == (
        "FAILED",
        "Nope",
        "child says no",
    )


def test_each_child_is_an_execution_with_its_own_history() -> None:
    first = parent("startExecution.sync:2", "Echo", {"n": 1})
    second = parent("startExecution.sync:2", "Echo", {"n": 2})["States"]["Start"]
    second["Parameters"]["Name"] = "kid2"
    first["States"]["Start"] = {**first["States"]["Start"], "End": False, "Next": "Again"}
    del first["States"]["Start"]["End"]
    first["States"]["Again"] = second
    definition = first
    execution = run(definition)
    assert sorted(child.name for child in execution.children) == ["kid", "kid2"]
    for child in execution.children:
        assert child.history[0]["type"] == "ExecutionStarted"
        assert child.history[-1]["type"] == "ExecutionSucceeded"
    assert all(e["type"] != "PassStateEntered" for e in execution.history)


def test_wait_for_task_token_is_answered_by_the_childs_send_task_success() -> None:
    execution = run(
        parent("startExecution.waitForTaskToken", "Answer", {"token.$": "$$.Task.Token"})
    )
    assert (execution.status, execution.output) == ("SUCCEEDED", {"answered": True})


def test_a_machine_the_run_does_not_know_still_fails_clearly() -> None:
    execution = run(parent("startExecution.sync:2", "Unknown", {}))
    assert execution.error == "States.Runtime"
    assert "--aws" in (execution.cause or "")


def test_mocks_win_over_nested_machines() -> None:
    from phalanx.testing import Returns

    execution = phalanx.run(
        parent("startExecution.sync:2", "Echo", {}),
        {},
        fast=True,
        machines=CHILDREN,
        mocks={"Start": [Returns({"mocked": True})]},
    )
    assert (execution.output, execution.children) == ({"mocked": True}, ())


def test_a_child_name_startexecution_refuses_fails_the_task_under_its_name() -> None:
    definition = parent("startExecution.sync", "Echo", {})
    definition["States"]["Start"]["Parameters"]["Name"] = "no spaces allowed"
    execution = run(definition)
    assert execution.error == "StepFunctions.InvalidNameException"
    assert execution.children == ()
