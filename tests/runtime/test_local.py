from __future__ import annotations

import random
from typing import Any

import pytest

import phalanx
from phalanx import Choice, StateMachine, Succeed, Task, Wait
from phalanx.asl.conditions import numeric_greater_than
from phalanx.errors import DefinitionError, LoadError
from phalanx.testing import MockConfigFile, Returns, Throws


@phalanx.function
def roll_die(event: Any, context: Any) -> Any:
    return {"roll": random.randint(1, 5)}


def roll_die_machine() -> StateMachine:
    roll = Task("lambdaRollDie", roll_die)
    check = Choice("checkRoll")
    wait = Wait("tryAgainShortly", seconds=3)
    return StateMachine.of(
        roll.next(check),
        check.when(~numeric_greater_than("$.roll", 3), wait).otherwise(Succeed("success")),
        wait.next(roll),
        Succeed("success"),
        name="RollDie",
    )


def test_mocked_results_per_call_choose_the_path() -> None:
    execution = phalanx.run(
        roll_die_machine(),
        {},
        fast=True,
        mocks={"lambdaRollDie": [Returns({"roll": 2}), Returns({"roll": 5})]},
    )
    assert execution.status == "SUCCEEDED"
    assert execution.states_entered == [
        "lambdaRollDie",
        "checkRoll",
        "tryAgainShortly",
        "lambdaRollDie",
        "checkRoll",
        "success",
    ]


def test_mocked_throw_fails_with_its_error_and_cause() -> None:
    execution = phalanx.run(
        roll_die_machine(), {}, fast=True, mocks={"lambdaRollDie": [Throws("Boom", "why")]}
    )
    assert (execution.status, execution.error, execution.cause) == ("FAILED", "Boom", "why")


def test_mock_config_file_ranges_and_test_cases() -> None:
    config = MockConfigFile.load(
        {
            "StateMachines": {
                "RollDie": {"TestCases": {"LowThenHigh": {"lambdaRollDie": "Rolls"}}}
            },
            "MockedResponses": {
                "Rolls": {"0-1": {"Return": {"roll": 1}}, "2": {"Return": {"roll": 5}}}
            },
        }
    )
    mocks = config.test_case("RollDie", "LowThenHigh")
    execution = phalanx.run(roll_die_machine(), {}, fast=True, mocks=mocks)
    assert execution.states_entered.count("lambdaRollDie") == 3
    assert execution.output == {"roll": 5}


def test_fast_run_skips_waits_but_timestamps_advance() -> None:
    execution = phalanx.run(
        roll_die_machine(),
        {},
        fast=True,
        mocks={"lambdaRollDie": [Returns({"roll": 1}), Returns({"roll": 4})]},
    )
    start, end = execution.history[0]["timestamp"], execution.history[-1]["timestamp"]
    assert end - start == 3.0


def test_include_execution_data_false_leaves_data_out() -> None:
    execution = phalanx.run(
        StateMachine.from_asl({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
        {"secret": 1},
        fast=True,
        include_execution_data=False,
    )
    entered = execution.history[1]["stateEnteredEventDetails"]
    assert "input" not in entered and entered["name"] == "P"


def test_run_is_exported() -> None:
    assert "run" in phalanx.__all__


def test_assert_path_names_the_first_difference() -> None:
    import pytest

    from phalanx.testing import assert_path

    execution = phalanx.run(
        roll_die_machine(), {}, fast=True, mocks={"lambdaRollDie": [Returns({"roll": 5})]}
    )
    assert_path(execution, ["lambdaRollDie", "checkRoll", "success"])
    with pytest.raises(AssertionError, match="path differs at step 2"):
        assert_path(execution, ["lambdaRollDie", "checkRoll", "tryAgainShortly"])


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(float("nan"), id="nan"),
        pytest.param({"x": float("inf")}, id="infinity"),
        pytest.param({1, 2}, id="set"),
        pytest.param("\ud800", id="lone-surrogate"),
    ],
)
def test_input_that_is_not_json_is_refused_before_starting(value: Any) -> None:
    seen: list[dict[str, Any]] = []
    machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    with pytest.raises(DefinitionError, match="InvalidExecutionInput"):
        phalanx.run(machine, value, fast=True, on_event=seen.append)
    assert seen == []


@pytest.mark.parametrize(
    "value",
    [pytest.param(float("nan"), id="nan"), pytest.param({1, 2}, id="set")],
)
def test_mocked_result_that_is_not_json_is_refused_naming_the_state(value: Any) -> None:
    machine = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "End": True,
            }
        },
    }
    with pytest.raises(LoadError, match=r"mocks\['A'\]\[0\].*not JSON"):
        phalanx.run(machine, {}, fast=True, mocks={"A": [Returns(value)]})


def test_execution_input_over_256_kib_is_refused_before_starting() -> None:
    machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    with pytest.raises(DefinitionError, match=r"InvalidExecutionInput.*262144"):
        phalanx.run(machine, {"x": "a" * 300_000}, fast=True)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("a b", id="space"),
        pytest.param("a/c", id="slash"),
        pytest.param("x" * 81, id="too-long"),
        pytest.param("a[1]", id="brackets"),
        pytest.param("a\u0085", id="control"),
    ],
)
def test_execution_name_startexecution_refuses_is_refused(name: str) -> None:
    machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    with pytest.raises(DefinitionError, match="InvalidName"):
        phalanx.run(machine, {}, fast=True, name=name)


def test_valid_execution_name_is_kept() -> None:
    machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    assert phalanx.run(machine, {}, fast=True, name="order-42_retry.1").name == "order-42_retry.1"
