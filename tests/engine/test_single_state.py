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
