from __future__ import annotations

from typing import Any

import phalanx

DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}


def distributed_map(child: dict[str, Any], **fields: Any) -> dict[str, Any]:
    processor = {"ProcessorConfig": DISTRIBUTED, "StartAt": "C", "States": {"C": child}}
    return {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}


def test_distributed_child_failure_exceeds_the_default_zero_tolerance() -> None:
    child = {"Type": "Fail", "Error": "X", "Cause": "c"}
    machine = {"StartAt": "M", "States": {"M": distributed_map(child)}}
    execution = phalanx.run(machine, [1, 2], fast=True)
    assert (execution.error, execution.cause) == (
        "States.ExceedToleratedFailureThreshold",
        "The specified tolerated failure threshold was exceeded",
    )
    events = {e["type"]: e for e in execution.history}
    assert events["MapRunFailed"]["previousEventId"] == events["MapRunStarted"]["id"]
    assert events["MapRunFailed"]["mapRunFailedEventDetails"] == {
        "error": "States.ExceedToleratedFailureThreshold",
        "cause": "The specified tolerated failure threshold was exceeded",
    }


def test_inline_child_failure_without_tolerance_keeps_the_childs_error() -> None:
    child = {"Type": "Fail", "Error": "X", "Cause": "c"}
    processor = {"StartAt": "C", "States": {"C": child}}
    machine = {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True}},
    }
    execution = phalanx.run(machine, [1, 2], fast=True)
    assert (execution.error, execution.cause) == ("X", "c")


def test_distributed_children_cannot_see_outer_variables() -> None:
    child = {"Type": "Pass", "Output": "{% $v %}", "End": True}
    machine = {
        "QueryLanguage": "JSONata",
        "StartAt": "S",
        "States": {
            "S": {"Type": "Pass", "Assign": {"v": 1}, "Next": "M"},
            "M": {**distributed_map(child), "Items": [1, 2]},
        },
    }
    execution = phalanx.run(machine, {}, fast=True)
    assert execution.status == "FAILED"
    assert execution.error == "States.ExceedToleratedFailureThreshold"


def test_distributed_children_have_their_own_execution_context() -> None:
    child = {
        "Type": "Pass",
        "Parameters": {"id.$": "$$.Execution.Id", "input.$": "$$.Execution.Input"},
        "End": True,
    }
    machine = {"StartAt": "M", "States": {"M": distributed_map(child)}}
    execution = phalanx.run(machine, [7, 8], fast=True, name="parent")
    first, second = execution.output
    assert (first["input"], second["input"]) == (7, 8)
    assert first["id"] != second["id"]
    assert ":execution:local-machine/M:" in first["id"]
    assert "parent" not in first["id"]


def test_execution_timeout_inside_a_distributed_child_is_recorded_in_the_parent() -> None:
    child = {"Type": "Wait", "Seconds": 100, "End": True}
    machine = {"TimeoutSeconds": 10, "StartAt": "M", "States": {"M": distributed_map(child)}}
    execution = phalanx.run(machine, [1], fast=True)
    types = [e["type"] for e in execution.history]
    assert execution.status == "TIMED_OUT"
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionTimedOut"
    assert "WaitStateEntered" not in types
