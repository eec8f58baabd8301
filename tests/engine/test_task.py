from __future__ import annotations

from typing import Any

import pytest

import phalanx
from phalanx.asl import StateMachine, Task
from phalanx.engine import ExecutionInfo, Interpreter
from phalanx.engine.task import LOCAL_ACCOUNT, LOCAL_REGION, parse_resource
from phalanx.functions import DEFAULT_ACCOUNT, DEFAULT_REGION
from phalanx.runtime.clock import VirtualClock
from phalanx.runtime.lambdas import FunctionInvoker
from phalanx.runtime.local import collect_functions, drive
from phalanx.testing import Throws

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:f"


def task(**fields: Any) -> dict[str, Any]:
    return {"StartAt": "A", "States": {"A": {"Type": "Task", "End": True, **fields}}}


CALLBACK = task(
    Resource="arn:aws:states:::lambda:invoke.waitForTaskToken",
    HeartbeatSeconds=5,
    Parameters={"FunctionName": "f", "Payload": {"t.$": "$$.Task.Token"}},
)


@pytest.mark.parametrize(
    ("machine", "event"),
    [
        pytest.param(CALLBACK, "TaskTimedOut", id="callback"),
        pytest.param(
            task(Resource="arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "f"}),
            "TaskTimedOut",
            id="lambda-invoke",
        ),
        pytest.param(task(Resource=FUNCTION), "LambdaFunctionTimedOut", id="function-arn"),
    ],
)
def test_heartbeat_timeout_is_recorded_as_timed_out(machine: Any, event: str) -> None:
    execution = phalanx.run(
        machine, {}, fast=True, mocks={"A": [Throws("States.HeartbeatTimeout")]}
    )
    assert execution.error == "States.HeartbeatTimeout"
    types = [e["type"] for e in execution.history]
    assert event in types and not any(
        t.endswith("Failed") and t != "ExecutionFailed" for t in types
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("TimeoutSecondsPath", 1.5, id="timeout-fraction"),
        pytest.param("TimeoutSecondsPath", True, id="timeout-bool"),
        pytest.param("TimeoutSecondsPath", "10", id="timeout-string"),
        pytest.param("HeartbeatSecondsPath", 2.5, id="heartbeat-fraction"),
    ],
)
def test_timeout_paths_must_select_a_positive_integer(field: str, value: Any) -> None:
    machine = task(Resource=FUNCTION, **{field: "$.t"})
    execution = phalanx.run(machine, {"t": value}, fast=True, functions={"f": lambda e, c: 1})
    assert execution.error == "States.Runtime"
    assert "must be a positive integer" in (execution.cause or "")


def test_integer_timeout_path_is_accepted() -> None:
    machine = task(Resource=FUNCTION, TimeoutSecondsPath="$.t")
    execution = phalanx.run(machine, {"t": 3}, fast=True, functions={"f": lambda e, c: 1})
    assert execution.status == "SUCCEEDED"


BIG = "x" * 150_000


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(
            {
                "Type": "Task",
                "Resource": FUNCTION,
                "Parameters": {"a.$": "$.s", "b.$": "$.s"},
                "ResultPath": None,
            },
            id="task-parameters",
        ),
        pytest.param(
            {
                "Type": "Parallel",
                "Parameters": {"a.$": "$.s", "b.$": "$.s"},
                "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}],
            },
            id="parallel-parameters",
        ),
        pytest.param(
            {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"a.$": "$.s", "b.$": "$.s"},
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            },
            id="map-item-selector",
        ),
    ],
)
def test_input_over_the_quota_after_parameters_is_data_limit_exceeded(state: Any) -> None:
    calls: list[Any] = []
    machine = {"StartAt": "A", "States": {"A": {**state, "End": True}}}
    execution = phalanx.run(
        machine, {"s": BIG, "items": [1]}, fast=True, functions={"f": lambda e, c: calls.append(e)}
    )
    assert execution.error == "States.DataLimitExceeded"
    assert "'A' has an input with a size exceeding" in (execution.cause or "")
    assert calls == []


def _scheduled(machine: StateMachine, info: ExecutionInfo) -> dict[str, Any]:
    invoker = FunctionInvoker(collect_functions(machine, None), VirtualClock())
    outcome = drive(Interpreter(machine, {}, info), VirtualClock(), invoker)
    assert outcome.status == "SUCCEEDED", outcome.cause
    return next(e for e in outcome.history if e["type"] == "LambdaFunctionScheduled")


def test_a_function_resource_is_named_in_the_executions_region_and_account() -> None:
    @phalanx.function
    def roll(event: Any, context: Any) -> int:
        return 4

    machine = StateMachine.of(Task("A", roll))
    info = ExecutionInfo(region="eu-west-1", account="222222222222")
    details = _scheduled(machine, info)["lambdaFunctionScheduledEventDetails"]
    assert details["resource"] == "arn:aws:lambda:eu-west-1:222222222222:function:roll"


def test_a_function_resource_defaults_to_the_local_region_and_account() -> None:
    @phalanx.function
    def roll(event: Any, context: Any) -> int:
        return 4

    details = _scheduled(StateMachine.of(Task("A", roll)), ExecutionInfo())
    expected = roll.arn(DEFAULT_REGION, DEFAULT_ACCOUNT)
    assert details["lambdaFunctionScheduledEventDetails"]["resource"] == expected
    assert (LOCAL_REGION, LOCAL_ACCOUNT) == (DEFAULT_REGION, DEFAULT_ACCOUNT)


@pytest.mark.parametrize(
    ("text", "engine_kind", "service", "action", "pattern"),
    [
        pytest.param("arn:aws:states:::lambda:invoke", "invoke", "lambda", "invoke", None),
        pytest.param(
            "arn:aws:states:us-east-1:123456789012:lambda:invoke",
            "invoke",
            "lambda",
            "invoke",
            None,
            id="invoke-with-region",
        ),
        pytest.param(
            "arn:aws:states:::states:startExecution.sync:2",
            "service",
            "states",
            "startExecution",
            "sync:2",
        ),
        pytest.param(
            "arn:aws:states:::aws-sdk:s3:getObject", "service", "aws-sdk", "s3:getObject", None
        ),
    ],
)
def test_the_engine_reads_integrations_from_the_parser(
    text: str, engine_kind: str, service: str, action: str, pattern: str | None
) -> None:
    resource = parse_resource(text)
    assert resource.kind == engine_kind
    if engine_kind == "service":
        assert (resource.service, resource.action) == (service, action)
    assert resource.pattern == pattern
