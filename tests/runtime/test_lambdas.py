from __future__ import annotations

import json
from typing import Any

import pytest

import phalanx
from phalanx.engine import InvokeLambda
from phalanx.runtime import clock
from phalanx.runtime.clock import VirtualClock
from phalanx.runtime.lambdas import FunctionInvoker, function_name


@pytest.mark.parametrize(
    ("given", "name"),
    [
        pytest.param("roll", "roll", id="name"),
        pytest.param("arn:aws:lambda:us-east-1:111111111111:function:roll", "roll", id="arn"),
        pytest.param(
            "arn:aws:lambda:us-east-1:111111111111:function:roll:$LATEST",
            "roll",
            id="qualified-arn",
        ),
        pytest.param("111111111111:function:roll", "roll", id="partial-arn"),
    ],
)
def test_function_name_accepts_lambda_forms(given: str, name: str) -> None:
    assert function_name(given) == name


def invoke(handler: Any, payload: Any = None, timeout: float | None = None) -> Any:
    invoker = FunctionInvoker({"f": handler}, VirtualClock())
    return invoker.invoke(InvokeLambda("S", "f", payload, timeout))


def test_exception_becomes_lambda_error_document() -> None:
    class CustomError(Exception):
        pass

    def handler(event: Any, context: Any) -> Any:
        raise CustomError("nope")

    response = invoke(handler)
    document = json.loads(response.payload)
    assert response.function_error == "Unhandled"
    assert (document["errorType"], document["errorMessage"]) == ("CustomError", "nope")
    assert set(document) == {"errorMessage", "errorType", "requestId", "stackTrace"}


def test_bytes_are_the_raw_payload() -> None:
    assert invoke(lambda e, c: b'"HelloWorld!"').payload == '"HelloWorld!"'


def test_virtual_sleep_beyond_timeout_times_out() -> None:
    def slow(event: Any, context: Any) -> Any:
        clock.sleep(10)
        return event

    assert invoke(slow, {}, timeout=5).timed_out


def test_own_function_timeout_is_a_sandbox_timeout() -> None:
    @phalanx.function(timeout=1)
    def slow(event: Any, context: Any) -> Any:
        clock.sleep(10)
        return event

    response = invoke(slow, {}, timeout=None)
    assert json.loads(response.payload)["errorType"] == "Sandbox.Timedout"


def test_unknown_function_is_not_found() -> None:
    invoker = FunctionInvoker({}, VirtualClock())
    assert invoker.invoke(InvokeLambda("S", "missing", {})).not_found


FUNCTION_TASK = {
    "StartAt": "A",
    "States": {
        "A": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "End": True,
        }
    },
}
INVOKE_TASK = {
    "StartAt": "A",
    "States": {
        "A": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f"},
            "End": True,
        }
    },
}


@pytest.mark.parametrize("machine", [FUNCTION_TASK, INVOKE_TASK], ids=["function-arn", "invoke"])
@pytest.mark.parametrize(
    "result",
    [
        pytest.param(float("nan"), id="nan"),
        pytest.param({"x": float("inf")}, id="infinity"),
        pytest.param({1, 2}, id="set"),
        pytest.param(b"\xff\xfe", id="bytes-not-utf8"),
    ],
)
def test_result_that_is_not_json_is_a_marshal_error(machine: Any, result: Any) -> None:
    execution = phalanx.run(machine, {}, fast=True, functions={"f": lambda e, c: result})
    assert (execution.status, execution.error) == ("FAILED", "Runtime.MarshalError")


def test_string_payload_nan_is_not_json_for_lambda_invoke() -> None:
    machine = json.loads(json.dumps(INVOKE_TASK))
    machine["States"]["A"]["Parameters"]["Payload"] = "NaN"
    execution = phalanx.run(machine, {}, fast=True, functions={"f": lambda e, c: e})
    assert execution.error == "Lambda.InvalidRequestContentException"
