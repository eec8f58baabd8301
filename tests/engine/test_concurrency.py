"""Parallel branches and Map iterations run at once, in engine time."""

from __future__ import annotations

import collections
import time
from typing import Any

import pytest

from phalanx.runtime import clock
from phalanx.runtime.local import Execution, run
from tests.corpora import cases


def wait(seconds: int) -> dict[str, Any]:
    return {"Type": "Wait", "Seconds": seconds, "End": True}


def parallel_of_waits(*seconds: int) -> dict[str, Any]:
    return {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {"StartAt": f"W{i}", "States": {f"W{i}": wait(s)}}
                    for i, s in enumerate(seconds)
                ],
            }
        },
    }


def map_of_waits(**fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "End": True,
                "ItemProcessor": {"StartAt": "W", "States": {"W": wait(1)}},
                **fields,
            }
        },
    }


def duration(execution: Execution) -> float:
    return float(execution.history[-1]["timestamp"] - execution.history[0]["timestamp"])


def events(execution: Execution) -> list[tuple[int, int, str]]:
    return [(e["id"], e["previousEventId"], e["type"]) for e in execution.history]


def test_parallel_waits_overlap_on_the_virtual_clock() -> None:
    execution = run(parallel_of_waits(2, 2), {}, fast=True)
    assert execution.succeeded
    assert duration(execution) == 2.0


def test_parallel_branch_events_interleave_in_the_order_they_happen() -> None:
    execution = run(parallel_of_waits(3, 1), {}, fast=True)
    exits = [
        e["stateExitedEventDetails"]["name"]
        for e in execution.history
        if e["type"] == "WaitStateExited"
    ]
    assert exits == ["W1", "W0"]
    assert events(execution)[2:] == [
        (3, 2, "ParallelStateStarted"),
        (4, 3, "WaitStateEntered"),
        (5, 3, "WaitStateEntered"),
        (6, 5, "WaitStateExited"),
        (7, 4, "WaitStateExited"),
        # Succeeded and Exited both follow the last branch event.
        (8, 7, "ParallelStateSucceeded"),
        (9, 7, "ParallelStateExited"),
        (10, 9, "ExecutionSucceeded"),
    ]


@pytest.mark.parametrize(
    ("fields", "seconds"),
    [
        pytest.param({"MaxConcurrency": 0}, 1.0, id="no-limit"),
        pytest.param({}, 1.0, id="default-no-limit"),
        pytest.param({"MaxConcurrency": 5}, 4.0, id="five-at-once"),
        pytest.param({"MaxConcurrency": 1}, 20.0, id="one-at-once"),
        pytest.param({"MaxConcurrencyPath": "$$.Execution.Input[0]"}, 20.0, id="path"),
    ],
)
def test_map_iterations_run_up_to_max_concurrency_at_once(
    fields: dict[str, Any], seconds: float
) -> None:
    execution = run(map_of_waits(**fields), [1] * 20, fast=True)
    assert execution.succeeded
    assert duration(execution) == seconds


def test_jsonata_max_concurrency_is_evaluated() -> None:
    definition = map_of_waits(MaxConcurrency="{% $count($states.input) / 2 %}")
    definition["QueryLanguage"] = "JSONata"
    execution = run(definition, [1] * 4, fast=True)
    assert duration(execution) == 2.0


def test_parallel_waits_overlap_on_the_real_clock() -> None:
    start = time.monotonic()
    execution = run(parallel_of_waits(2, 2), {})
    elapsed = time.monotonic() - start
    assert execution.succeeded
    # One after the other would take 4 s; a loaded machine adds some to 2 s.
    assert elapsed < 3.5


def test_map_waits_overlap_on_the_real_clock() -> None:
    start = time.monotonic()
    execution = run(map_of_waits(MaxConcurrency=0), [1] * 6)
    elapsed = time.monotonic() - start
    assert execution.succeeded
    assert elapsed < 4.0  # one at a time: 6 s


def failing_parallel() -> dict[str, Any]:
    return {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {"StartAt": "Slow", "States": {"Slow": wait(10)}},
                    {
                        "StartAt": "Nap",
                        "States": {
                            "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Boom"},
                            "Boom": {"Type": "Fail", "Error": "Oops", "Cause": "branch 1"},
                        },
                    },
                ],
            }
        },
    }


def test_first_branch_failure_aborts_the_others() -> None:
    execution = run(failing_parallel(), {}, fast=True)
    assert (execution.status, execution.error) == ("FAILED", "Oops")
    assert [t for _, _, t in events(execution)] == [
        "ExecutionStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "WaitStateEntered",
        "WaitStateEntered",
        "WaitStateExited",
        "FailStateEntered",
        "WaitStateAborted",
        "ParallelStateFailed",
        "ExecutionFailed",
    ]
    # The aborted branch's Wait does not hold the execution: it ends at 1 s.
    assert duration(execution) == 1.0


def _waits_then_fail_on_one(**settings: Any) -> dict[str, Any]:
    """A Map whose iterations wait their item's seconds, then fail if the item is 1."""
    each = {
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "SecondsPath": "$", "Next": "C"},
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "F"}],
                "Default": "S",
            },
            "F": {"Type": "Fail", "Error": "One"},
            "S": {"Type": "Succeed"},
        },
    }
    return {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "End": True, **settings, "ItemProcessor": each}},
    }


def test_map_failure_aborts_running_iterations() -> None:
    definition = _waits_then_fail_on_one()
    execution = run(definition, [5, 1, 7], fast=True)
    assert (execution.status, execution.error) == ("FAILED", "One")
    types = [t for _, _, t in events(execution)]
    assert types.count("MapIterationAborted") == 2
    assert types.count("WaitStateAborted") == 2
    assert types[-2:] == ["MapStateFailed", "ExecutionFailed"]
    assert duration(execution) == 1.0


def test_tolerated_failures_let_other_iterations_finish() -> None:
    definition = _waits_then_fail_on_one(ToleratedFailureCount=1)
    execution = run(definition, [3, 1, 2], fast=True)
    assert execution.succeeded
    assert execution.output == [3, None, 2]
    assert duration(execution) == 3.0


def _parallel_cases() -> list[Any]:
    return [
        case
        for case in cases("conformance")
        if "state:Parallel" in case.values[0]["features"]
        and case.values[0]["expected"].get("history")
    ]


@pytest.mark.parametrize("case", _parallel_cases())
def test_recorded_parallel_executions_keep_aws_event_order(case: dict[str, Any]) -> None:
    """Every recorded event whose id the snapshot kept has our type and previousEventId;
    the events it masked (the branches', reordered by the recorder) are ours too."""
    execution = run(
        case["definition"],
        case["input"],
        fast=True,
        input_text=case.get("input_text"),
    )
    recorded = case["expected"]["history"]
    ours = {e["id"]: (e["type"], e["previousEventId"]) for e in execution.history}
    kept = [e for e in recorded if isinstance(e["id"], int)]
    assert kept
    for event in kept:
        assert ours.get(event["id"]) == (event["type"], event["previousEventId"]), event
    masked = collections.Counter(e["type"] for e in recorded if not isinstance(e["id"], int))
    kept_ids = {e["id"] for e in kept}
    rest = collections.Counter(e["type"] for e in execution.history if e["id"] not in kept_ids)
    assert not masked - rest


def napping_lambdas() -> dict[str, Any]:
    arn = "arn:aws:lambda:us-east-1:111111111111:function:nap"
    return {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "StartAt": f"T{i}",
                        "States": {f"T{i}": {"Type": "Task", "Resource": arn, "End": True}},
                    }
                    for i in range(2)
                ],
            }
        },
    }


def nap(event: Any, context: Any) -> Any:
    clock.sleep(2)
    return event


def test_lambda_calls_in_branches_overlap_on_the_virtual_clock() -> None:
    execution = run(napping_lambdas(), {"x": 1}, fast=True, functions={"nap": nap})
    assert execution.succeeded and execution.output == [{"x": 1}, {"x": 1}]
    assert duration(execution) == 2.0


def test_lambda_calls_in_branches_overlap_on_the_real_clock() -> None:
    start = time.monotonic()
    execution = run(napping_lambdas(), {}, functions={"nap": nap})
    assert execution.succeeded
    assert time.monotonic() - start < 3.5  # one after the other: 4 s


def test_a_failure_in_a_nested_parallel_aborts_the_other_iterations_inside_out() -> None:
    branches = [
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": True}}},
        {
            "StartAt": "C",
            "States": {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}],
                    "Default": "W2",
                },
                "W2": {"Type": "Wait", "Seconds": 5, "End": True},
                "F": {"Type": "Fail", "Error": "Two"},
            },
        },
    ]
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "End": True,
                "ItemProcessor": {
                    "StartAt": "P",
                    "States": {"P": {"Type": "Parallel", "End": True, "Branches": branches}},
                },
            }
        },
    }
    execution = run(definition, [3, 2], fast=True)
    assert (execution.status, execution.error) == ("FAILED", "Two")
    by_id = {e["id"]: e for e in execution.history}
    tail = [t for _, _, t in events(execution)][-10:-1]
    assert tail == [
        "FailStateEntered",
        "WaitStateAborted",  # the failing iteration's other branch
        "ParallelStateFailed",
        "MapIterationFailed",
        "WaitStateAborted",  # iteration 0, both branches
        "WaitStateAborted",
        "ParallelStateAborted",
        "MapIterationAborted",
        "MapStateFailed",
    ]
    failed = next(e for e in execution.history if e["type"] == "ParallelStateFailed")
    map_failed = by_id[len(execution.history) - 1]
    assert map_failed["type"] == "MapStateFailed"
    # MapStateFailed follows the failed iteration, not the ones it aborted.
    assert map_failed["previousEventId"] == failed["id"]
