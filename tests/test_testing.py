"""phalanx.testing: a MockConfigFile naming a state the machine lacks is refused."""

from __future__ import annotations

import pytest

import phalanx
from phalanx import Choice, StateMachine, Succeed, Task
from phalanx.asl.conditions import numeric_greater_than
from phalanx.errors import LoadError
from phalanx.testing import MockConfigFile, MockError, Returns

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:roll"


def roll_die() -> StateMachine:
    check = Choice("checkRoll").when(numeric_greater_than("$.roll", 3), Succeed("success"))
    return StateMachine.of(
        Task("lambdaRollDie", LAMBDA).next(check.otherwise("lambdaRollDie")), name="RollDie"
    )


def config(state: str) -> MockConfigFile:
    return MockConfigFile.load(
        {
            "StateMachines": {"RollDie": {"TestCases": {"High": {state: "Rolls"}}}},
            "MockedResponses": {"Rolls": {"0": {"Return": {"roll": 5}}}},
        }
    )


def test_a_test_case_for_a_misspelled_state_fails_the_run() -> None:
    mocks = config("lambdaRolDie").test_case("RollDie", "High")
    with pytest.raises(MockError) as raised:
        phalanx.run(roll_die(), {}, fast=True, mocks=mocks)
    assert str(raised.value) == (
        'mock for "lambdaRolDie": no such state in machine "RollDie"; did you mean '
        '"lambdaRollDie"? States: lambdaRollDie, checkRoll, success'
    )


def test_a_test_case_read_for_the_machine_is_checked_and_names_the_test_case() -> None:
    with pytest.raises(MockError) as raised:
        config("lambdaRolDie").test_case(roll_die(), "High")
    assert str(raised.value).startswith(
        'mock config StateMachines.RollDie.TestCases.High: mock for "lambdaRolDie": '
    )


def test_a_test_case_read_for_the_machine_runs_it() -> None:
    machine = roll_die()
    mocks = config("lambdaRollDie").test_case(machine, "High")
    assert mocks == {"lambdaRollDie": [Returns({"roll": 5})]}
    assert phalanx.run(machine, {}, fast=True, mocks=mocks).output == {"roll": 5}


def test_a_machine_without_a_name_cannot_be_looked_up() -> None:
    unnamed = StateMachine.of(Task("lambdaRollDie", LAMBDA))
    with pytest.raises(LoadError, match="has no name"):
        config("lambdaRollDie").test_case(unnamed, "High")
