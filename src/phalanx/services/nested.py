"""`arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`: child executions.

A child whose `StateMachineArn` names a machine the run knows starts
through a `StartChild` (the seam: `phalanx.run()` runs it in this process,
the durable runtime in its store); any other goes to Step Functions through
boto3 when the run may call AWS. The result has AWS's shapes (developer
guide, "Start a new AWS Step Functions state machine execution"):

* request-response: `ExecutionArn`, `StartDate` (epoch milliseconds) and the
  SDK metadata, as recorded against AWS;
* `.sync`: DescribeExecution's fields with `Input` and `Output` as JSON text;
* `.sync:2`: the same with `Input` and `Output` as JSON values;
* a child that fails, times out or is aborted fails the task with
  `States.TaskFailed` and DescribeExecution's fields as JSON text in the cause
  (the child's `Error` and `Cause` among them).

The child's input is `Input` as given: AWS links the child to its parent
when the input carries `AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID`
(`"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"`).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any, Protocol

from phalanx.engine.effects import ServiceResponse
from phalanx.services.failures import runtime

STARTED_BY = "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"


@dataclasses.dataclass(frozen=True, slots=True)
class ChildStart:
    """A StartExecution request: the machine, the input (JSON value), the name, who starts it."""

    state_machine_arn: str
    input: Any
    name: str
    started_by: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class ChildExecution:
    """A child as DescribeExecution reports it; times in epoch seconds, texts as JSON text."""

    execution_arn: str
    state_machine_arn: str
    name: str
    status: str
    start_date: float
    stop_date: float | None = None
    input: str = "{}"
    output: str | None = None
    error: str | None = None
    cause: str | None = None


class StartChild(Protocol):
    """The seam for nested machines: who runs a child execution.

    `knows` says whether the machine is one this runtime runs itself;
    `start` starts the child and, with `wait`, returns only when it has
    ended (`.sync`); without, as soon as it is started (the local runtime
    may still run it to its end first: it has nothing else to do).
    """

    def knows(self, state_machine_arn: str) -> bool: ...

    def start(self, request: ChildStart, *, wait: bool) -> ChildExecution: ...


def child_request(parameters: Any) -> ChildStart | ServiceResponse:
    """The `ChildStart` for a Task's parameters, or the failure StartExecution gives."""
    if not isinstance(parameters, dict) or not isinstance(parameters.get("StateMachineArn"), str):
        return runtime("states:startExecution needs a StateMachineArn (a string) in its parameters")
    value = parameters.get("Input", {})
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return ServiceResponse(
                error="StepFunctions.InvalidExecutionInputException",
                cause=f"Invalid State Machine Execution Input: {value[:60]!r} is not JSON",
            )
    name = parameters.get("Name")
    started_by = value.get(STARTED_BY) if isinstance(value, dict) else None
    return ChildStart(
        parameters["StateMachineArn"],
        value,
        str(name) if name else str(uuid.uuid4()),
        str(started_by) if started_by else None,
    )


def machine_name(state_machine_arn: str) -> str:
    """The machine a `StateMachineArn` names: `arn:...:stateMachine:Name[:version]` -> `Name`."""
    parts = state_machine_arn.split(":")
    if len(parts) >= 7 and parts[5] == "stateMachine":
        return parts[6]
    return state_machine_arn


def _millis(seconds: float) -> int:
    return round(seconds * 1000)


def describe(child: ChildExecution, *, json_values: bool) -> dict[str, Any]:
    """DescribeExecution's fields; `json_values` (`.sync:2`) parses Input and Output."""
    shown: dict[str, Any] = {
        "ExecutionArn": child.execution_arn,
        "Input": json.loads(child.input) if json_values else child.input,
        "InputDetails": {"Included": True},
        "Name": child.name,
        "StartDate": _millis(child.start_date),
        "StateMachineArn": child.state_machine_arn,
        "Status": child.status,
    }
    if child.output is not None:
        shown["Output"] = json.loads(child.output) if json_values else child.output
        shown["OutputDetails"] = {"Included": True}
    if child.error is not None:
        shown["Error"] = child.error
    if child.cause is not None:
        shown["Cause"] = child.cause
    if child.stop_date is not None:
        shown["StopDate"] = _millis(child.stop_date)
    return shown


def result(child: ChildExecution, pattern: str, metadata: dict[str, Any]) -> ServiceResponse:
    """The Task's result for a started (or, with `.sync`, ended) child."""
    if not pattern.startswith(".sync"):
        return ServiceResponse(
            output={
                "ExecutionArn": child.execution_arn,
                **metadata,
                "StartDate": _millis(child.start_date),
            }
        )
    shown = describe(child, json_values=pattern == ".sync:2")
    if child.status != "SUCCEEDED":
        return ServiceResponse(
            error="States.TaskFailed", cause=json.dumps(shown, separators=(",", ":"))
        )
    return ServiceResponse(output=shown)
