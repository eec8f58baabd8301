"""One state evaluated on its own (`engine/single_state.py`), driven on a virtual clock."""

from __future__ import annotations

from typing import Any

import pytest

from phalanx.asl import StateMachine
from phalanx.engine.single_state import (
    CAUGHT_ERROR,
    FAILED,
    RETRIABLE,
    SUCCEEDED,
    ErrorDetails,
    MockedResult,
    SingleState,
    StateTestOutcome,
)
from phalanx.runtime.clock import VirtualClock
from phalanx.runtime.driver import drive
from phalanx.runtime.lambdas import Invoker


def _evaluate(
    state: dict[str, Any], input: Any, invoker: Invoker | None = None, **options: Any
) -> StateTestOutcome:
    machine = StateMachine.from_asl({"StartAt": "S", "States": {"S": state}})
    single = SingleState(machine, "S", input, **options)
    drive(single, VirtualClock(1_700_000_000), invoker)  # type: ignore[arg-type]
    assert single.tested is not None
    return single.tested


FLAKY_TASK = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "f"},
    "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3, "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handle"}],
    "Next": "Done",
}


@pytest.mark.parametrize(
    ("state", "input", "options", "status", "output", "next_state", "details"),
    [
        pytest.param(
            {"Type": "Pass", "Result": {"r": 1}, "ResultPath": "$.p", "Next": "N"},
            {"a": 0},
            {},
            SUCCEEDED,
            {"a": 0, "p": {"r": 1}},
            "N",
            None,
            id="pass-result",
        ),
        pytest.param(
            {
                "Type": "Choice",
                "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "Has"}],
                "Default": "Lacks",
            },
            {"b": 1},
            {},
            SUCCEEDED,
            {"b": 1},
            "Lacks",
            None,
            id="choice-default",
        ),
        pytest.param(
            {"Type": "Wait", "Seconds": 999999, "Next": "N"},
            [1],
            {},
            SUCCEEDED,
            [1],
            "N",
            None,
            id="wait-does-not-wait",
        ),
        pytest.param(
            {"Type": "Fail", "Error": "Bad", "Cause": "why"},
            {},
            {},
            FAILED,
            None,
            None,
            None,
            id="fail",
        ),
        pytest.param(
            FLAKY_TASK,
            {},
            {"mock": MockedResult({"Payload": 1})},
            SUCCEEDED,
            {"Payload": 1},
            "Done",
            None,
            id="mocked-result",
        ),
        pytest.param(
            FLAKY_TASK,
            {},
            {"mock": MockedResult(error="Flaky", cause="c"), "retry_count": 1},
            RETRIABLE,
            None,
            None,
            ErrorDetails(retry_index=0, retry_backoff_interval_seconds=6),
            id="retriable-second-attempt",
        ),
        pytest.param(
            FLAKY_TASK,
            {"k": 1},
            {"mock": MockedResult(error="Flaky", cause="c"), "retry_count": 2},
            CAUGHT_ERROR,
            {"k": 1, "error": {"Error": "Flaky", "Cause": "c"}},
            "Handle",
            ErrorDetails(catch_index=0, retry_index=0),
            id="retries-spent-then-caught",
        ),
        pytest.param(
            {**FLAKY_TASK, "Catch": []},
            {},
            {"mock": MockedResult(error="Other", cause="c")},
            FAILED,
            None,
            None,
            None,
            id="nothing-handles-it",
        ),
    ],
)
def test_one_state_ends_as_testing_it_says(
    state: dict[str, Any],
    input: Any,
    options: dict[str, Any],
    status: str,
    output: Any,
    next_state: str | None,
    details: ErrorDetails | None,
) -> None:
    tested = _evaluate(state, input, **options)
    assert (tested.status, tested.output, tested.next_state) == (status, output, next_state)
    assert tested.error_details == details


def test_the_stages_are_recorded_in_order_of_processing() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "InputPath": "$.in",
        "Parameters": {"FunctionName": "f", "x.$": "$.x"},
        "ResultSelector": {"p.$": "$.Payload"},
        "ResultPath": "$.out",
        "End": True,
    }
    tested = _evaluate(state, {"in": {"x": 2}}, mock=MockedResult({"Payload": 5}))
    assert list(tested.stages) == [
        "input",
        "afterInputPath",
        "afterParameters",
        "result",
        "afterResultSelector",
        "afterResultPath",
    ]
    assert tested.stages["afterParameters"] == {"FunctionName": "f", "x": 2}
    assert tested.output == {"in": {"x": 2}, "out": {"p": 5}}


def test_jsonata_assignments_join_the_given_variables() -> None:
    state = {
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Assign": {"total": "{% $total + $states.input.n %}"},
        "Output": "{% $total %}",
        "End": True,
    }
    tested = _evaluate(state, {"n": 3}, variables={"total": 4})
    # Output reads the variables as they were before Assign (ASL: evaluated together).
    assert (tested.status, tested.output) == (SUCCEEDED, 4)
    assert dict(tested.variables) == {"total": 7}


def test_a_given_context_object_replaces_the_execution_s() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "who.$": "$$.Execution.Name"},
        "End": True,
    }
    tested = _evaluate(state, {}, mock=MockedResult({}), context={"Execution": {"Name": "nightly"}})
    assert tested.stages["afterParameters"] == {"FunctionName": "f", "who": "nightly"}


def test_an_unmocked_parallel_runs_its_branches() -> None:
    state = {
        "Type": "Parallel",
        "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": True}}},
            {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 60, "End": True}}},
        ],
        "End": True,
    }
    tested = _evaluate(state, {"v": 1})
    assert tested.output == ["a", {"v": 1}]


PASS_PROCESSOR = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
BRANCHES = [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}},
]


@pytest.mark.parametrize(
    ("state", "input", "mock", "stages"),
    [
        pytest.param(
            {
                "Type": "Map",
                "QueryLanguage": "JSONata",
                "Items": "{% $states.input.Values %}",
                "ItemProcessor": PASS_PROCESSOR,
                "End": True,
            },
            {"Values": [1, 2, 3]},
            MockedResult([1, 1, 1]),
            {"input", "maxConcurrency"},
            id="jsonata-map",  # recorded: test_base_map_state_inspect
        ),
        pytest.param(
            {
                "Type": "Map",
                "InputPath": "$.in",
                "ItemsPath": "$.values",
                "MaxConcurrency": 1,
                "ItemProcessor": PASS_PROCESSOR,
                "End": True,
            },
            {"in": {"values": ["a", "b"]}},
            MockedResult(["A", "B"]),
            {
                "input",
                "afterInputPath",
                "afterItemsPath",
                "afterResultSelector",
                "afterResultPath",
                "maxConcurrency",
            },
            id="jsonpath-map",  # recorded: test_state_map_context_object
        ),
        pytest.param(
            {
                "Type": "Parallel",
                "InputPath": "$.parallelInput",
                "ResultPath": "$.parallelResult",
                "Branches": BRANCHES,
                "End": True,
            },
            {"parallelInput": {"data": 1}},
            MockedResult([1, 2]),
            {"input", "afterResultSelector", "afterResultPath"},
            id="jsonpath-parallel",  # recorded: test_io_parallel_state_mock_success
        ),
        pytest.param(
            {
                "Type": "Parallel",
                "QueryLanguage": "JSONata",
                "Arguments": "{% $states.input.parallelInput %}",
                "Output": {"parallelResult": "{% $states.result %}"},
                "Branches": BRANCHES,
                "End": True,
            },
            {"parallelInput": {"data": 1}},
            MockedResult([1, 2]),
            {"input"},
            id="jsonata-parallel",  # recorded: test_io_jsonata_parallel_state_mock_success
        ),
        pytest.param(
            {
                "Type": "Pass",
                "InputPath": "$.initialData",
                "Parameters": {"inputValue.$": "$.fieldFromInput"},
                "Result": {"resultKey": "result value"},
                "ResultPath": "$.modifiedData",
                "End": True,
            },
            {"initialData": {"fieldFromInput": "v"}},
            None,
            {"input", "result", "afterResultSelector", "afterResultPath"},
            id="pass-with-result",  # recorded: test_base_inspection_level_debug
        ),
        pytest.param(
            {"Type": "Fail", "Error": "SomeFailure", "Cause": "why"},
            {"Value": "HelloWorld"},
            None,
            {"input", "afterInputPath"},
            id="jsonpath-fail",  # recorded: test_base_inspection_level_debug
        ),
        pytest.param(
            {"Type": "Fail", "QueryLanguage": "JSONata", "Error": "SomeFailure"},
            {"Value": "HelloWorld"},
            None,
            {"input"},
            id="jsonata-fail",  # recorded: test_base_state_name
        ),
    ],
)
def test_each_state_type_shows_the_stages_aws_shows(
    state: dict[str, Any], input: Any, mock: MockedResult | None, stages: set[str]
) -> None:
    assert set(_evaluate(state, input, mock=mock).stages) == stages


@pytest.mark.parametrize("mock", [MockedResult(["x", "y"]), None], ids=["mocked", "run"])
def test_a_map_shows_its_items_and_their_selection(mock: MockedResult | None) -> None:
    state = {
        "Type": "Map",
        "ItemsPath": "$.values",
        "ItemSelector": {"value.$": "$$.Map.Item.Value", "at.$": "$$.Map.Item.Index"},
        "ItemProcessor": PASS_PROCESSOR,
        "End": True,
    }
    tested = _evaluate(state, {"values": ["a", "b"]}, mock=mock)
    assert tested.stages["afterItemsPath"] == ["a", "b"]
    assert tested.stages["afterItemSelector"] == [
        {"value": "a", "at": 0},
        {"value": "b", "at": 1},
    ]


def test_a_map_that_fails_its_mock_shows_its_items_first() -> None:
    state = {
        "Type": "Map",
        "ItemsPath": "$.Values",
        "ItemProcessor": PASS_PROCESSOR,
        "ToleratedFailureCount": 2,
        "End": True,
    }
    tested = _evaluate(state, {"Values": [1, 2]}, mock=MockedResult(error="MockException"))
    # Recorded: test_state_machine_with_state_error.
    assert tested.status == FAILED
    assert dict(tested.stages) == {
        "input": {"Values": [1, 2]},
        "afterInputPath": {"Values": [1, 2]},
        "afterItemsPath": [1, 2],
        "maxConcurrency": 0,
        "toleratedFailureCount": 2,
    }


JSONATA_ITEMS = {"QueryLanguage": "JSONata", "Items": "{% $states.input.items %}"}


@pytest.mark.parametrize(
    ("fields", "limits", "settings"),
    [
        pytest.param(
            {**JSONATA_ITEMS, "MaxConcurrency": "{% $variable := 1 %}"},
            {},
            {"maxConcurrency": 1},
            id="jsonata-max-concurrency",
        ),
        pytest.param(
            {**JSONATA_ITEMS, "ToleratedFailurePercentage": "{% $variable := 1 %}"},
            {},
            {"maxConcurrency": 0, "toleratedFailurePercentage": 1.0},
            id="jsonata-percentage",
        ),
        pytest.param(
            {**JSONATA_ITEMS, "ToleratedFailureCount": "{% $variable := 1 %}"},
            {},
            {"maxConcurrency": 0, "toleratedFailureCount": 1},
            id="jsonata-count",
        ),
        pytest.param(
            {
                "ItemsPath": "$.items",
                "MaxConcurrencyPath": "$.limits.concurrency",
                "ToleratedFailureCountPath": "$.limits.count",
                "ToleratedFailurePercentagePath": "$.limits.percentage",
            },
            {"concurrency": 4, "count": 2, "percentage": 50},
            {"maxConcurrency": 4, "toleratedFailureCount": 2, "toleratedFailurePercentage": 50.0},
            id="paths",
        ),
    ],
)
def test_a_map_s_settings_are_evaluated(
    fields: dict[str, Any], limits: dict[str, Any], settings: dict[str, Any]
) -> None:
    # Recorded: test_base_map_state_inspect (a JSONata expression in each field).
    state = {"Type": "Map", "ItemProcessor": PASS_PROCESSOR, "End": True, **fields}
    tested = _evaluate(state, {"items": [1], "limits": limits}, mock=MockedResult([1]))
    shown = {key: tested.stages[key] for key in tested.stages if key.startswith(("max", "tol"))}
    assert shown == settings


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        pytest.param({}, SUCCEEDED, id="no-tolerance-retry-or-catch"),
        pytest.param(
            {"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}]},
            CAUGHT_ERROR,
            id="a-catcher-and-no-tolerance",
        ),
        pytest.param(
            {"QueryLanguage": "JSONata", "ToleratedFailureCount": "{% 2 %}", "Items": [1, 2, 3]},
            SUCCEEDED,
            id="jsonata-tolerance",
        ),
        pytest.param(
            {"QueryLanguage": "JSONata", "ToleratedFailureCount": "{% 1 %}", "Items": [1, 2, 3]},
            FAILED,
            id="jsonata-tolerance-exceeded",
        ),
    ],
)
def test_mocked_map_iteration_failures_fail_the_map_as_aws_decides(
    fields: dict[str, Any], status: str
) -> None:
    state = {"Type": "Map", "ItemProcessor": PASS_PROCESSOR, "End": True, **fields}
    # Recorded: test_map_state_failure_count (BASE_MAP_STATE: no tolerance, Retry or Catch).
    tested = _evaluate(state, [1, 2, 3], mock=MockedResult([0, 0, 1], map_failures=2))
    assert tested.status == status
