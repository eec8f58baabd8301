from __future__ import annotations

from typing import Any

import phalanx

S = "x" * 150_000


def test_a_variable_over_256_kib_is_data_limit_exceeded() -> None:
    machine = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Pass",
                "Assign": {"v": "{% $join([$states.input.s, $states.input.s]) %}"},
                "Output": {},
                "End": True,
            }
        },
    }
    execution = phalanx.run(machine, {"s": S}, fast=True)
    assert execution.error == "States.DataLimitExceeded"
    assert "'v'" in (execution.cause or "")


def test_one_assign_over_256_kib_in_total_is_data_limit_exceeded() -> None:
    assign = {"a.$": "$.s", "b.$": "$.s"}
    machine = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Assign": assign, "OutputPath": None, "End": True}},
    }
    execution = phalanx.run(machine, {"s": S}, fast=True)
    assert execution.error == "States.DataLimitExceeded"
    assert "Assign of state 'A'" in (execution.cause or "")


def test_stored_variables_over_10_mib_are_data_limit_exceeded() -> None:
    count = 42  # 42 variables of 255,002 bytes: over 10 MiB (10,485,760) in all
    states: dict[str, Any] = {}
    for n in range(count):
        states[f"S{n}"] = {
            "Type": "Pass",
            "Assign": {f"v{n}.$": "$.s"},
            **({"Next": f"S{n + 1}"} if n < count - 1 else {"End": True}),
        }
    machine = {"StartAt": "S0", "States": states}
    execution = phalanx.run(machine, {"s": "x" * 255_000}, fast=True)
    assert execution.error == "States.DataLimitExceeded"
    assert "'S41'" in (execution.cause or "")


def test_variables_within_the_limits_are_kept() -> None:
    machine = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"v.$": "$.s"}, "Next": "B"},
            "B": {
                "Type": "Pass",
                "Parameters": {"n.$": "States.StringSplit($v, 'y')"},
                "End": True,
            },
        },
    }
    execution = phalanx.run(machine, {"s": "x" * 100_000}, fast=True)
    assert execution.status == "SUCCEEDED"


def test_jsonata_now_follows_the_virtual_clock() -> None:
    from phalanx import Pass, StateMachine, Wait, jsonata

    machine = StateMachine.of(
        Pass("before", output=jsonata("$millis()")).next("wait"),
        Wait("wait", seconds=3600).next("after"),
        Pass("after", output=jsonata("[$states.input, $millis()]")),
        query_language="JSONata",
    )
    execution = phalanx.run(machine, {}, fast=True)
    before, after = execution.output
    assert after - before == 3_600_000
