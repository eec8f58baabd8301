"""Behaviour of the interpreter, driven by the in-process runner on a virtual clock."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from phalanx.asl import StateMachine
from phalanx.engine import Interpreter, InvokeLambda, LambdaResponse, Now, Sleep
from phalanx.engine.effects import AWAIT, PENDING, Answer, Seed
from phalanx.runtime.clock import VirtualClock
from phalanx.runtime.lambdas import FunctionInvoker
from phalanx.runtime.local import drive, run

ARN = "arn:aws:lambda:us-east-1:111111111111:function:"


def machine(states: dict[str, Any], **top: Any) -> StateMachine:
    return StateMachine.from_asl({"StartAt": next(iter(states)), "States": states, **top})


def types(execution: Any) -> list[str]:
    return [event["type"] for event in execution.history]


@pytest.mark.parametrize(
    ("state", "data", "expected"),
    [
        pytest.param({"Type": "Pass", "End": True}, {"a": 1}, {"a": 1}, id="pass-through"),
        pytest.param(
            {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "End": True},
            {"a": 1},
            {"a": 1, "r": {"x": 1}},
            id="result-path-merges",
        ),
        pytest.param(
            {"Type": "Pass", "Result": 5, "ResultPath": None, "End": True},
            {"a": 1},
            {"a": 1},
            id="result-path-null-discards",
        ),
        pytest.param(
            {"Type": "Pass", "InputPath": None, "End": True}, {"a": 1}, {}, id="input-path-null"
        ),
        pytest.param(
            {
                "Type": "Pass",
                "Parameters": {"b.$": "$.a", "n.$": "States.MathAdd($.a, 2)"},
                "End": True,
            },
            {"a": 1},
            {"b": 1, "n": 3},
            id="parameters-and-intrinsic",
        ),
        pytest.param(
            {
                "Type": "Pass",
                "Parameters": {"name.$": "$$.State.Name"},
                "OutputPath": "$.name",
                "End": True,
            },
            {},
            "S",
            id="context-object",
        ),
        pytest.param(
            {
                "Type": "Pass",
                "QueryLanguage": "JSONata",
                "Output": "{% $states.input.a * 2 %}",
                "End": True,
            },
            {"a": 21},
            42,
            id="jsonata-output",
        ),
    ],
)
def test_pass_input_output_processing(state: dict[str, Any], data: Any, expected: Any) -> None:
    execution = run(machine({"S": state}), data, fast=True)
    assert execution.status == "SUCCEEDED"
    assert execution.output == expected


def test_missing_input_path_fails_with_aws_cause() -> None:
    execution = run(
        machine({"S": {"Type": "Pass", "InputPath": "$.no", "End": True}}), {}, fast=True
    )
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert execution.cause == (
        "An error occurred while executing the state 'S' (entered at the event id #2). "
        "Invalid path '$.no' : No results for path: $['no']"
    )
    assert types(execution) == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]


def test_choice_without_match_or_default_fails() -> None:
    states = {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "NumericEquals": 1, "Next": "E"}]},
        "E": {"Type": "Succeed"},
    }
    execution = run(machine(states), {"v": 2}, fast=True)
    assert execution.error == "States.NoChoiceMatched"


def test_lambda_exception_becomes_aws_error_and_is_retried_then_caught() -> None:
    calls = []

    def handler(event: Any, context: Any) -> Any:
        calls.append(event)
        raise ValueError("bad roll")

    states = {
        "T": {
            "Type": "Task",
            "Resource": ARN + "roll",
            "Retry": [{"ErrorEquals": ["ValueError"], "MaxAttempts": 2, "IntervalSeconds": 10}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Done"}],
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    }
    execution = run(machine(states), {"x": 1}, functions={"roll": handler}, fast=True)
    assert len(calls) == 3
    assert execution.output["err"]["Error"] == "ValueError"
    assert '"errorMessage": "bad roll"' in execution.output["err"]["Cause"]
    started = [e["timestamp"] for e in execution.history if e["type"] == "LambdaFunctionScheduled"]
    assert [b - a for a, b in itertools.pairwise(started)] == [10.0, 20.0]


def test_retry_max_attempts_zero_never_retries() -> None:
    calls = []

    def handler(event: Any, context: Any) -> Any:
        calls.append(1)
        raise RuntimeError("x")

    states = {
        "T": {
            "Type": "Task",
            "Resource": ARN + "f",
            "End": True,
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}],
        },
    }
    execution = run(machine(states), {}, functions={"f": handler}, fast=True)
    assert (len(calls), execution.error) == (1, "RuntimeError")


def test_function_outliving_state_timeout_gives_states_timeout() -> None:
    from phalanx.runtime import clock

    def slow(event: Any, context: Any) -> Any:
        clock.sleep(60)
        return event

    states = {"T": {"Type": "Task", "Resource": ARN + "slow", "TimeoutSeconds": 5, "End": True}}
    execution = run(machine(states), {}, functions={"slow": slow}, fast=True)
    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")
    assert "LambdaFunctionTimedOut" in types(execution)


def test_result_that_is_not_json_gives_marshal_error() -> None:
    states = {"T": {"Type": "Task", "Resource": ARN + "f", "End": True}}
    execution = run(machine(states), {}, functions={"f": lambda e, c: object()}, fast=True)
    assert execution.error == "Runtime.MarshalError"


def test_execution_timeout_ends_a_long_wait() -> None:
    states = {"W": {"Type": "Wait", "Seconds": 60, "End": True}}
    execution = run(machine(states, TimeoutSeconds=5), {}, fast=True)
    assert execution.status == "TIMED_OUT"
    assert types(execution)[-1] == "ExecutionTimedOut"
    assert execution.history[-1]["timestamp"] - execution.history[0]["timestamp"] == 5.0


def test_output_over_256_kib_is_data_limit_exceeded() -> None:
    # (The execution input itself must stay under the limit: StartExecution refuses it.)
    states = {"P": {"Type": "Pass", "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "End": True}}
    execution = run(machine(states), {"s": "x" * 150_000}, fast=True)
    assert execution.error == "States.DataLimitExceeded"
    assert "returned a result with a size exceeding" in (execution.cause or "")


def test_map_runs_every_item_with_item_selector() -> None:
    states = {
        "M": {
            "Type": "Map",
            "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "End": True,
        }
    }
    execution = run(machine(states), ["a", "b"], fast=True)
    assert execution.output == [{"i": 0, "v": "a"}, {"i": 1, "v": "b"}]
    assert types(execution).count("MapIterationSucceeded") == 2


def test_map_item_batcher_groups_items() -> None:
    states = {
        "M": {
            "Type": "Map",
            "ItemBatcher": {"MaxItemsPerBatch": 2},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P",
                "States": {"P": {"Type": "Pass", "End": True}},
            },
            "End": True,
        }
    }
    execution = run(machine(states), [1, 2, 3], fast=True)
    assert execution.output == [{"Items": [1, 2]}, {"Items": [3]}]
    assert "MapRunStarted" in types(execution)


def test_parallel_branch_variables_stay_inside() -> None:
    states = {
        "Init": {"Type": "Pass", "Assign": {"x": 1}, "Next": "Par"},
        "Par": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "B",
                    "States": {
                        "B": {
                            "Type": "Pass",
                            "Assign": {"x": 2},
                            "Parameters": {"x.$": "$x"},
                            "End": True,
                        }
                    },
                }
            ],
            "Next": "After",
        },
        "After": {"Type": "Pass", "Parameters": {"x.$": "$x"}, "End": True},
    }
    execution = run(machine(states), {}, fast=True)
    assert execution.output == {"x": 1}


def test_jsonata_assign_is_evaluated_before_any_assignment() -> None:
    states = {
        "Init": {"Type": "Pass", "Assign": {"a": 1, "b": 2}, "Next": "Swap"},
        "Swap": {
            "Type": "Pass",
            "Assign": {"a": "{% $b %}", "b": "{% $a %}"},
            "Output": "{% [$a, $b] %}",
            "Next": "Show",
        },
        "Show": {"Type": "Pass", "Output": "{% [$a, $b] %}", "End": True},
    }
    execution = run(machine(states, QueryLanguage="JSONata"), {}, fast=True)
    assert execution.output == [2, 1]


def test_unmocked_service_integration_names_state_and_resource() -> None:
    states = {"Q": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True}}
    execution = run(machine(states), {}, fast=True)
    assert execution.status == "FAILED"
    assert "Q" in (execution.cause or "") and "sqs:sendMessage" in (execution.cause or "")


def test_history_event_limit_fails_the_execution() -> None:
    states = {"L": {"Type": "Pass", "Next": "L"}}
    interpreter = Interpreter(machine(states), {}, max_events=50)
    outcome = drive(interpreter, VirtualClock(), FunctionInvoker({}))
    assert outcome.status == "FAILED"
    assert len(outcome.history) <= 51


def test_interpreter_only_asks_the_runtime_for_time_and_work() -> None:
    states = {
        "W": {"Type": "Wait", "Seconds": 3, "Next": "T"},
        "T": {"Type": "Task", "Resource": ARN + "f", "End": True},
    }
    steps = Interpreter(machine(states), {}).run()
    assert isinstance(steps.send(None), Now)
    assert isinstance(steps.send(100.0), Seed)
    sleep = steps.send("00" * 32)
    assert sleep == Sleep(3.0, 103.0, sleep.id, "W")
    assert steps.send(PENDING) is AWAIT
    assert isinstance(steps.send(Answer(sleep.id, None)), Now)
    invoke = steps.send(103.0)
    assert isinstance(invoke, InvokeLambda) and invoke.function == ARN + "f"
    assert invoke.state == "T" and invoke.id not in ("", sleep.id)
    assert isinstance(steps.send(LambdaResponse(payload='{"ok": true}')), Now)
    with pytest.raises(StopIteration) as stop:
        steps.send(104.0)
    assert stop.value.value.output == {"ok": True}


def test_journal_replay_resumes_to_the_same_outcome() -> None:
    states = {
        "T": {"Type": "Task", "Resource": ARN + "f", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 1, "End": True},
    }
    journal: list[Any] = []
    invoker = FunctionInvoker({"f": lambda e, c: {"n": 1}}, VirtualClock())
    first = drive(Interpreter(machine(states), {}), VirtualClock(), invoker, journal=journal)

    def crash(event: Any, context: Any) -> Any:
        raise AssertionError("replay must not call user code again")

    replayed = drive(
        Interpreter(machine(states), {}),
        VirtualClock(),
        FunctionInvoker({"f": crash}),
        replay=journal,
    )
    assert replayed == first


@pytest.mark.parametrize(
    ("config", "text", "expected"),
    [
        pytest.param({"InputType": "JSON"}, "[1, 2]", [1, 2], id="json"),
        pytest.param(
            {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "a,b\n1,2\n3,4\n",
            [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}],
            id="csv-first-row",
        ),
        pytest.param(
            {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["x"], "MaxItems": 1},
            "7\n8\n",
            [{"x": "7"}],
            id="csv-given-max-items",
        ),
    ],
)
def test_distributed_map_item_reader_reads_local_objects(
    tmp_path: Any, config: dict[str, Any], text: str, expected: list[Any]
) -> None:
    (tmp_path / "bucket").mkdir()
    (tmp_path / "bucket" / "items").write_text(text)
    states = {
        "M": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": config,
                "Parameters": {"Bucket": "bucket", "Key": "items"},
            },
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P",
                "States": {"P": {"Type": "Pass", "End": True}},
            },
            "End": True,
        }
    }
    execution = run(machine(states), {}, fast=True, items_root=tmp_path)
    assert execution.output == expected


def test_item_reader_without_object_fails_with_item_reader_failed(tmp_path: Any) -> None:
    states = {
        "M": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSON"},
                "Parameters": {"Bucket": "none", "Key": "none"},
            },
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "End": True,
        }
    }
    execution = run(machine(states), {}, fast=True, items_root=tmp_path)
    assert execution.error == "States.ItemReaderFailed"


@pytest.mark.parametrize(
    "states",
    [
        pytest.param({"P": {"Type": "Pass", "Next": "Nowhere"}}, id="unknown-next-state"),
        pytest.param({"P": {"Type": "Pass", "InputPath": "$[", "End": True}}, id="path-syntax"),
        pytest.param(
            {"P": {"Type": "Pass", "Parameters": {"x.$": "States.Nope()"}, "End": True}},
            id="unknown-intrinsic",
        ),
    ],
)
def test_bad_definitions_fail_the_execution_without_a_traceback(states: dict[str, Any]) -> None:
    # The validator refuses them; run without it to see how the engine fails.
    execution = run(machine(states), {}, fast=True, validate=False)
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")


def test_wait_for_task_token_runs_through_mocks_with_a_token_in_context() -> None:
    from phalanx.testing import Returns

    states = {
        "Cb": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}},
            "End": True,
        }
    }
    execution = run(machine(states), {}, fast=True, mocks={"Cb": [Returns({"done": True})]})
    assert execution.output == {"done": True}
    scheduled = next(e for e in execution.history if e["type"] == "TaskScheduled")
    assert '"token":"' in scheduled["taskScheduledEventDetails"]["parameters"]
    unmocked = run(machine(states), {}, fast=True)
    assert unmocked.status == "FAILED" and "Cb" in (unmocked.cause or "")


def test_event_limit_counts_every_event_and_keeps_one_for_the_end() -> None:
    loop = {"A": {"Type": "Pass", "Next": "A"}}
    execution = run(machine(loop), {}, fast=True, max_events=101, validate=False)  # no End
    assert len(execution.history) == 101
    assert execution.history[-1]["type"] == "ExecutionFailed"

    processor = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    mapped = {"M": {"Type": "Map", "ItemProcessor": processor, "End": True}}
    execution = run(machine(mapped), list(range(60)), fast=True, max_events=101)
    assert len(execution.history) == 101
    assert execution.error == "States.Runtime"
