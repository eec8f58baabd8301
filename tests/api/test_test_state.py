"""TestState through boto3 against a real `phalanx serve` (with a `--functions` file)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.api.conftest import ROLE, client
from tests.api.server import RunningServer, start

FUNCTIONS = """
import phalanx


@phalanx.function
def greet(event, context):
    return {"greeting": "Hello, " + event["name"]}
"""

GREET = "arn:aws:lambda:us-east-1:123456789012:function:greet"
INVOKE = "arn:aws:states:::lambda:invoke"


@pytest.fixture(scope="module")
def sfn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("test-state")
    (folder / "functions.py").write_text(FUNCTIONS, encoding="utf-8")
    running: RunningServer = start(
        folder / "phalanx.db", "--functions", str(folder / "functions.py")
    )
    try:
        yield client(running.url)
    finally:
        running.stop()


def _test(sfn: Any, state: dict[str, Any], input: Any = None, **request: Any) -> Any:
    if input is not None:
        request["input"] = json.dumps(input)
    return sfn.test_state(definition=json.dumps(state), **request)


def _error(sfn: Any, state: dict[str, Any], **request: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as raised:
        sfn.test_state(definition=json.dumps(state), **request)
    error: dict[str, str] = raised.value.response["Error"]
    return error


def _inspected(response: Any) -> dict[str, Any]:
    """inspectionData with its JSON text members decoded."""
    data = response["inspectionData"]
    return {k: json.loads(v) if isinstance(v, str) else v for k, v in data.items()}


def test_a_pass_state_at_debug_shows_each_stage(sfn: Any) -> None:
    state = {
        "Type": "Pass",
        "InputPath": "$.order",
        "Parameters": {"id.$": "$.id", "fixed": 1},
        "ResultPath": "$.shaped",
        "Next": "Ship",
    }
    order = {"order": {"id": 7, "extra": True}, "other": "kept"}
    response = _test(sfn, state, order, inspectionLevel="DEBUG")
    assert response["status"] == "SUCCEEDED"
    assert response["nextState"] == "Ship"
    shaped = {**order, "shaped": {"id": 7, "fixed": 1}}
    assert json.loads(response["output"]) == shaped
    assert _inspected(response) == {
        "input": order,
        "afterInputPath": {"id": 7, "extra": True},
        "afterParameters": {"id": 7, "fixed": 1},
        "afterResultSelector": {"id": 7, "fixed": 1},
        "afterResultPath": shaped,
    }


def test_info_answers_no_inspection_data(sfn: Any) -> None:
    response = _test(sfn, {"Type": "Pass", "End": True}, {"a": 1})
    assert "inspectionData" not in response
    assert json.loads(response["output"]) == {"a": 1}
    assert "nextState" not in response


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(5, "Small", id="first-rule"),
        pytest.param(50, "Large", id="default"),
    ],
)
def test_a_choice_gives_the_next_state(sfn: Any, value: int, expected: str) -> None:
    state = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericLessThan": 10, "Next": "Small"}],
        "Default": "Large",
    }
    response = _test(sfn, state, {"n": value})
    assert (response["status"], response["nextState"]) == ("SUCCEEDED", expected)


def test_a_wait_state_answers_at_once_with_its_next_state(sfn: Any) -> None:
    response = _test(sfn, {"Type": "Wait", "Seconds": 86400, "Next": "Later"}, {"a": 1})
    assert (response["status"], response["nextState"]) == ("SUCCEEDED", "Later")


def test_a_task_with_a_mocked_result_goes_through_its_output_fields(sfn: Any) -> None:
    state = {
        "Type": "Task",
        "Resource": INVOKE,
        "Parameters": {"FunctionName": "billing", "Payload.$": "$"},
        "ResultSelector": {"total.$": "$.Payload.total"},
        "ResultPath": "$.bill",
        "End": True,
    }
    mocked = {"Payload": {"total": 42}, "StatusCode": 200}
    response = _test(
        sfn, state, {"cart": [1]}, mock={"result": json.dumps(mocked)}, inspectionLevel="DEBUG"
    )
    assert response["status"] == "SUCCEEDED"
    assert json.loads(response["output"]) == {"cart": [1], "bill": {"total": 42}}
    data = _inspected(response)
    assert data["afterParameters"] == {"FunctionName": "billing", "Payload": {"cart": [1]}}
    assert data["result"] == mocked
    assert data["afterResultSelector"] == {"total": 42}


RETRIED = {
    "Type": "Task",
    "Resource": INVOKE,
    "Parameters": {"FunctionName": "flaky"},
    "Retry": [
        {"ErrorEquals": ["Other"], "MaxAttempts": 1},
        {"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3},
    ],
    "End": True,
}


@pytest.mark.parametrize(
    ("retried", "backoff"),
    [
        pytest.param(None, 2, id="first-failure"),
        pytest.param(2, 18, id="third-failure"),
    ],
)
def test_a_mocked_error_a_retrier_matches_is_retriable(
    sfn: Any, retried: int | None, backoff: int
) -> None:
    extra: dict[str, Any] = {}
    if retried is not None:
        extra["stateConfiguration"] = {"retrierRetryCount": retried}
    response = _test(
        sfn,
        RETRIED,
        {},
        mock={"errorOutput": {"error": "Flaky", "cause": "try again"}},
        inspectionLevel="DEBUG",
        **extra,
    )
    assert (response["status"], response["error"], response["cause"]) == (
        "RETRIABLE",
        "Flaky",
        "try again",
    )
    assert "output" not in response
    assert response["inspectionData"]["errorDetails"] == {
        "retryIndex": 1,
        "retryBackoffIntervalSeconds": backoff,
    }


def test_a_retrier_with_no_attempts_left_lets_the_error_fail_the_state(sfn: Any) -> None:
    response = _test(
        sfn,
        RETRIED,
        {},
        mock={"errorOutput": {"error": "Flaky", "cause": "again"}},
        stateConfiguration={"retrierRetryCount": 3},
        inspectionLevel="DEBUG",
    )
    assert response["status"] == "FAILED"
    assert response["inspectionData"]["errorDetails"] == {"retryIndex": 1}


def test_a_mocked_error_a_catcher_matches_is_caught(sfn: Any) -> None:
    state = {
        "Type": "Task",
        "Resource": INVOKE,
        "Parameters": {"FunctionName": "pay"},
        "Catch": [
            {"ErrorEquals": ["Declined"], "Next": "Refuse"},
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Alert"},
        ],
        "Next": "Ship",
    }
    response = _test(
        sfn,
        state,
        {"order": 1},
        mock={"errorOutput": {"error": "Timeout.Gateway", "cause": "slow"}},
        inspectionLevel="DEBUG",
    )
    assert (response["status"], response["nextState"]) == ("CAUGHT_ERROR", "Alert")
    assert json.loads(response["output"]) == {
        "order": 1,
        "failure": {"Error": "Timeout.Gateway", "Cause": "slow"},
    }
    assert response["inspectionData"]["errorDetails"] == {"catchIndex": 1}


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param({"Resource": GREET, "Parameters": {"name.$": "$.who"}}, id="function-arn"),
        pytest.param(
            {
                "Resource": INVOKE,
                "Parameters": {"FunctionName": "greet", "Payload": {"name.$": "$.who"}},
                "OutputPath": "$.Payload",
            },
            id="lambda-invoke",
        ),
    ],
)
def test_a_task_without_a_mock_runs_the_functions_file_lambda(
    sfn: Any, resource: dict[str, Any]
) -> None:
    state = {"Type": "Task", **resource, "End": True}
    response = _test(sfn, state, {"who": "Ada"}, roleArn=ROLE)
    assert response["status"] == "SUCCEEDED"
    assert json.loads(response["output"]) == {"greeting": "Hello, Ada"}


def test_a_task_without_a_mock_needs_a_role(sfn: Any) -> None:
    state = {"Type": "Task", "Resource": GREET, "End": True}
    error = _error(sfn, state, input="{}")
    assert error["Code"] == "ValidationException"
    assert error["Message"] == "RoleArn must be specified when testing a Task state"


def test_jsonata_arguments_output_and_assign_see_the_variables(sfn: Any) -> None:
    state = {
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": GREET,
        "Arguments": {"name": "{% $prefix & $states.input.who %}"},
        "Assign": {"last": "{% $states.result.greeting %}"},
        "Output": {"said": "{% $states.result.greeting %}", "count": "{% $count + 1 %}"},
        "End": True,
    }
    response = _test(
        sfn,
        state,
        {"who": "Ada"},
        roleArn=ROLE,
        variables=json.dumps({"prefix": "Dr ", "count": 1}),
        inspectionLevel="DEBUG",
    )
    assert response["status"] == "SUCCEEDED"
    assert json.loads(response["output"]) == {"said": "Hello, Dr Ada", "count": 2}
    data = _inspected(response)
    assert data["afterArguments"] == {"name": "Dr Ada"}
    assert data["variables"] == {"prefix": "Dr ", "count": 1, "last": "Hello, Dr Ada"}


PARALLEL = {
    "Type": "Parallel",
    "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}},
    ],
    "ResultPath": "$.both",
    "End": True,
}
MAP = {
    "Type": "Map",
    "ItemsPath": "$.items",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    "ToleratedFailureCount": 1,
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "TooMany"}],
    "End": True,
}


def test_a_parallel_state_takes_its_branches_results_from_the_mock(sfn: Any) -> None:
    response = _test(sfn, PARALLEL, {"x": 1}, mock={"result": json.dumps([1, 2])})
    assert json.loads(response["output"]) == {"x": 1, "both": [1, 2]}


def test_a_parallel_mock_needs_one_result_per_branch(sfn: Any) -> None:
    error = _error(sfn, PARALLEL, mock={"result": json.dumps([1])})
    assert error["Message"] == (
        "Mocked result must contain the same number of items as number of Parallel branches."
    )


@pytest.mark.parametrize(
    ("failures", "status"),
    [
        pytest.param(1, "SUCCEEDED", id="within-tolerance"),
        pytest.param(2, "CAUGHT_ERROR", id="over-tolerance"),
    ],
)
def test_a_map_state_fails_once_mocked_iteration_failures_exceed_its_tolerance(
    sfn: Any, failures: int, status: str
) -> None:
    response = _test(
        sfn,
        MAP,
        {"items": [1, 2, 3]},
        mock={"result": json.dumps(["a", "b", "c"])},
        stateConfiguration={"mapIterationFailureCount": failures},
        inspectionLevel="DEBUG",
    )
    assert response["status"] == status
    assert response["inspectionData"]["toleratedFailureCount"] == 1
    if status == "CAUGHT_ERROR":
        assert response["error"] == "States.ExceedToleratedFailureThreshold"
        assert response["nextState"] == "TooMany"
    else:
        assert json.loads(response["output"]) == ["a", "b", "c"]


def test_map_and_parallel_states_need_a_mock(sfn: Any) -> None:
    error = _error(sfn, MAP, input="{}")
    assert error["Code"] == "InvalidDefinition"
    assert "does not support Map or Parallel states" in error["Message"]


def test_a_pass_state_cannot_be_mocked(sfn: Any) -> None:
    error = _error(sfn, {"Type": "Pass", "End": True}, mock={"result": "{}"})
    assert error["Code"] == "ValidationException"
    assert error["Message"] == "State type 'Pass' is not supported when a mock is specified"


def test_an_invalid_state_answers_invalid_definition_with_the_diagnostics(sfn: Any) -> None:
    error = _error(sfn, {"Type": "Pass", "Next": "X", "End": True})
    assert error["Code"] == "InvalidDefinition"
    assert error["Message"].startswith("Invalid State Machine Definition: '")
    assert "/States/StateName" in error["Message"]


MACHINE = {
    "StartAt": "First",
    "States": {
        "First": {"Type": "Pass", "Result": {"step": 1}, "Next": "Second"},
        "Second": {"Type": "Fail", "Error": "Stop", "Cause": "second state"},
    },
}


def test_state_name_tests_one_state_of_a_whole_machine(sfn: Any) -> None:
    first = sfn.test_state(definition=json.dumps(MACHINE), stateName="First")
    assert (first["status"], first["nextState"]) == ("SUCCEEDED", "Second")
    second = sfn.test_state(definition=json.dumps(MACHINE), stateName="Second")
    assert (second["status"], second["error"], second["cause"]) == (
        "FAILED",
        "Stop",
        "second state",
    )


def test_an_unknown_state_name_is_a_validation_error(sfn: Any) -> None:
    with pytest.raises(ClientError) as raised:
        sfn.test_state(definition=json.dumps(MACHINE), stateName="Third")
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "ValidationException",
        "State not found in definition",
    )


def test_input_that_is_not_json_is_invalid_execution_input(sfn: Any) -> None:
    error = _error(sfn, {"Type": "Pass", "End": True}, input="{not json")
    assert error["Code"] == "InvalidExecutionInput"


def test_a_mocked_context_object_is_what_the_state_reads(sfn: Any) -> None:
    state = {
        "Type": "Task",
        "Resource": INVOKE,
        "Parameters": {"FunctionName": "f", "Payload": {"run.$": "$$.Execution.Name"}},
        "ResultPath": None,
        "End": True,
    }
    response = _test(
        sfn,
        state,
        {},
        mock={"result": "{}"},
        context=json.dumps({"Execution": {"Name": "nightly"}}),
        inspectionLevel="DEBUG",
    )
    assert _inspected(response)["afterParameters"]["Payload"] == {"run": "nightly"}


def test_a_jsonata_map_shows_its_evaluated_max_concurrency(sfn: Any) -> None:
    state = {
        "Type": "Map",
        "QueryLanguage": "JSONata",
        "Items": "{% $states.input.Values %}",
        "MaxConcurrency": "{% $variable := 1 %}",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        "End": True,
    }
    response = _test(
        sfn, state, {"Values": [1, 2, 3]}, mock={"result": "[1, 1, 1]"}, inspectionLevel="DEBUG"
    )
    # Recorded: test_base_map_state_inspect[MAX_CONCURRENCY-DEBUG].
    assert response["inspectionData"] == {"input": '{"Values":[1,2,3]}', "maxConcurrency": 1}


def test_a_map_writing_its_results_needs_an_object_mock(sfn: Any) -> None:
    state = {**MAP, "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject"}}
    error = _error(sfn, state, mock={"result": json.dumps(["an array"])})
    assert (error["Code"], error["Message"]) == (
        "ValidationException",
        "Mocked result must be a JSON object.",
    )
    response = _test(sfn, state, {"items": [1]}, mock={"result": json.dumps({"written": 1})})
    assert json.loads(response["output"]) == {"written": 1}


CONTEXT_INVALID = "Invalid Context object provided: "
WAITING_TASK = {
    "Type": "Task",
    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {"QueueUrl": "q", "MessageBody": {"TaskToken.$": "$$.Task.Token"}},
    "End": True,
}


@pytest.mark.parametrize(
    ("state", "context", "message"),
    [
        pytest.param(
            RETRIED, {"Execution": {"Id": 1}}, "Execution.Id must be a string", id="id-type"
        ),
        pytest.param(
            RETRIED,
            {"Execution": {"pokemon": "squirtle"}},
            "Field 'pokemon' is not allowed",
            id="nested-field",
        ),
        pytest.param(RETRIED, {"Pokedex": {}}, "Field 'Pokedex' is not allowed", id="field"),
        pytest.param(
            RETRIED,
            {"Task": {"Token": "abcd123"}},
            "Context object contains 'Task' when state is not a Task state with a '.sync' "
            "or '.waitForTaskToken' service integration pattern",
            id="task-without-token-pattern",
        ),
    ],
)
def test_a_context_object_is_checked_field_by_field(
    sfn: Any, state: dict[str, Any], context: dict[str, Any], message: str
) -> None:
    # Recorded: test_state_context_object_validation_failures, _invalid_states.
    error = _error(sfn, state, mock={"result": "{}"}, context=json.dumps(context))
    assert (error["Code"], error["Message"]) == ("ValidationException", CONTEXT_INVALID + message)


def test_a_waiting_task_reads_the_task_token_of_its_context(sfn: Any) -> None:
    context = {"Execution": {"Name": "nightly"}, "Task": {"Token": "abcd123"}}
    response = _test(
        sfn,
        WAITING_TASK,
        {},
        mock={"result": "{}"},
        context=json.dumps(context),
        inspectionLevel="DEBUG",
    )
    assert _inspected(response)["afterParameters"]["MessageBody"] == {"TaskToken": "abcd123"}


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param("arn:aws:states:us-east-1:123456789012:activity:work", id="activity"),
        pytest.param("arn:aws:states:::sqs:sendMessage.waitForTaskToken", id="wait-for-token"),
        pytest.param("arn:aws:states:::states:startExecution.sync:2", id="sync"),
    ],
)
def test_a_task_that_waits_for_a_worker_or_a_job_needs_a_mock(sfn: Any, resource: str) -> None:
    state = {"Type": "Task", "Resource": resource, "End": True}
    error = _error(sfn, state, input="{}", roleArn=ROLE)
    assert error["Code"] == "InvalidDefinition"
    assert "when a mock is specified" in error["Message"]
