from __future__ import annotations

import gc
import json
import sys
import threading
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


def test_sys_exit_is_a_runtime_exit_error_the_state_can_catch() -> None:
    def exits(event: Any, context: Any) -> Any:
        sys.exit(3)

    machine = json.loads(json.dumps(FUNCTION_TASK))
    machine["States"]["A"]["Catch"] = [{"ErrorEquals": ["Runtime.ExitError"], "Next": "Caught"}]
    del machine["States"]["A"]["End"]
    machine["States"]["A"]["Next"] = "Caught"
    machine["States"]["Caught"] = {"Type": "Pass", "End": True}
    execution = phalanx.run(machine, {}, fast=True, functions={"f": exits})
    assert execution.status == "SUCCEEDED"
    assert execution.output["Error"] == "Runtime.ExitError"
    assert "Runtime exited with error: exit status 3" in execution.output["Cause"]


def test_keyboard_interrupt_in_a_handler_propagates() -> None:
    def interrupted(event: Any, context: Any) -> Any:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        phalanx.run(FUNCTION_TASK, {}, fast=True, functions={"f": interrupted})


class FakeMonotonic:
    """Real elapsed time as a handler sees it: it moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("real", "virtual", "timed_out"),
    [
        pytest.param(0.04, 0, False, id="real-time-within"),
        pytest.param(0.05, 0, False, id="real-time-exactly-at"),
        pytest.param(0.06, 0, True, id="real-time-beyond"),
        pytest.param(1.5, 3, False, id="real-plus-virtual-within"),
        pytest.param(2.5, 3, True, id="real-plus-virtual-beyond"),
    ],
)
def test_real_and_virtual_time_a_handler_spends_count_against_its_timeout(
    real: float, virtual: float, timed_out: bool
) -> None:
    monotonic = FakeMonotonic()
    virtual_clock = VirtualClock()
    timeout = 5.0 if virtual else 0.05

    def handler(event: Any, context: Any) -> Any:
        clock.sleep(virtual)
        monotonic.now += real
        return "done"

    invoker = FunctionInvoker({"f": handler}, virtual_clock, monotonic=monotonic)
    start = virtual_clock.now()
    response = invoker.invoke(InvokeLambda("S", "f", {}, timeout))
    assert response.timed_out is timed_out
    if timed_out:
        # The execution's clock stops at the timeout, not after the handler's return.
        assert virtual_clock.now() == start + timeout
    else:
        assert response.payload == '"done"'
        assert virtual_clock.now() == start + virtual


def test_handler_blocked_for_real_is_abandoned_at_its_timeout() -> None:
    """The one test on real time: the backstop abandons a handler that never returns."""
    release = threading.Event()
    handler_threads: list[threading.Thread] = []

    def blocked(event: Any, context: Any) -> Any:
        handler_threads.append(threading.current_thread())
        release.wait()
        return "late"

    invoker = FunctionInvoker({"blocked": blocked, "quick": lambda e, c: "ok"}, VirtualClock())
    try:
        assert invoker.invoke(InvokeLambda("S", "blocked", {}, 0.2)).timed_out
        # The abandoned handler does not block the next call: it gets a new thread.
        assert invoker.invoke(InvokeLambda("S", "quick", {}, 5)).payload == '"ok"'
    finally:
        release.set()
    (abandoned,) = handler_threads
    abandoned.join(5)
    assert not abandoned.is_alive()


def test_handler_prints_go_to_stderr_not_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    def chatty(event: Any, context: Any) -> Any:
        print("hello from lambda")
        return 1

    assert invoke(chatty, {}).payload == "1"
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "hello from lambda\n")


def test_context_looks_like_lambdas_python_context() -> None:
    @phalanx.function(name="f", timeout=30, memory_size=256)
    def f(event: Any, context: Any) -> Any:
        return {
            "remaining": context.get_remaining_time_in_millis(),
            "name": context.function_name,
            "version": context.function_version,
            "arn": context.invoked_function_arn,
            "memory": context.memory_limit_in_mb,
            "group": context.log_group_name,
            "stream": context.log_stream_name,
            "request": context.aws_request_id,
            "identity": context.identity,
            "client": context.client_context,
        }

    machine = json.loads(json.dumps(FUNCTION_TASK))
    machine["States"]["A"]["TimeoutSeconds"] = 60
    output = phalanx.run(
        machine, {}, fast=True, functions={"f": f}, start_time="2024-01-01T00:00:00Z"
    ).output
    assert 29_000 < output.pop("remaining") <= 30_000
    assert output.pop("stream").startswith("2024/01/01/[$LATEST]")
    assert output.pop("request")
    assert output == {
        "name": "f",
        "version": "$LATEST",
        "arn": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "memory": 256,
        "group": "/aws/lambda/f",
        "identity": None,
        "client": None,
    }


def test_remaining_time_counts_down_with_the_virtual_clock() -> None:
    @phalanx.function(name="f", timeout=10)
    def f(event: Any, context: Any) -> Any:
        clock.sleep(4)
        return context.get_remaining_time_in_millis()

    output = phalanx.run(FUNCTION_TASK, {}, fast=True, functions={"f": f}).output
    assert 5_000 < output <= 6_000


def test_handler_threads_end_with_their_runs() -> None:
    for _ in range(20):
        phalanx.run(FUNCTION_TASK, {}, fast=True, functions={"f": lambda e, c: 1})
    gc.collect()  # invokers kept alive by earlier tests' reference cycles
    workers = [t for t in threading.enumerate() if t.name == "phalanx-lambda"]
    for thread in workers:
        thread.join(5)
    assert not any(t.is_alive() for t in workers)
