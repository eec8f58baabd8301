"""Transitions per second of the in-process engine (virtual clock) against moto.

    python bench/engine_bench.py [--quick]

Machines:
  (a) loop:    Pass + Choice, the counter advanced with States.MathAdd, 1,000 iterations
  (b) map:     a Map over 1,000 items, one Pass per item
  (c) roll-die: roll -> check -> wait -> roll ... with a deterministic die (a fixed list of
      rolls; 1,000 rolls before a winning one). The die is a Pass state so moto, which cannot
      run Lambda without Docker, runs the same machine; the Wait is 0 s because moto really
      sleeps. `roll-die (Lambda)` runs the die as an in-process Lambda function (ours only).
  (d) map of waits: a Map over 1,000 items with MaxConcurrency 0 whose items each wait 1 s
      (ours only, virtual clock): all iterations are in flight at once, so the execution
      takes 1 s of engine time; the cost per iteration is what scheduling them costs.

A transition is one state entered (Map iterations' inner states included).
Then the loop is grown from 1k to 20k iterations to show the cost per
transition stays flat. No numbers here are asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from phalanx.asl import StateMachine
from phalanx.runtime.local import run

LAMBDA_ARN = "arn:aws:lambda:us-east-1:111111111111:function:roll_die"


def loop(n: int) -> tuple[dict[str, Any], Any]:
    return {
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Step"},
            "Step": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)"},
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThan": n, "Next": "Step"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }, {}


def map_items(n: int) -> tuple[dict[str, Any], Any]:
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "One",
                    "States": {"One": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }, list(range(n))


def map_of_waits(n: int) -> tuple[dict[str, Any], Any]:
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "MaxConcurrency": 0,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Nap",
                    "States": {"Nap": {"Type": "Wait", "Seconds": 1, "End": True}},
                },
                "End": True,
            }
        },
    }, list(range(n))


def roll_die(n: int, with_lambda: bool = False) -> tuple[dict[str, Any], Any]:
    rolls = [1 + i % 3 for i in range(n)] + [5]
    die: dict[str, Any]
    if with_lambda:
        die = {"Type": "Task", "Resource": LAMBDA_ARN, "Next": "checkRoll"}
    else:
        die = {
            "Type": "Pass",
            "Parameters": {
                "rolls.$": "$.rolls",
                "i.$": "States.MathAdd($.i, 1)",
                "roll.$": "States.ArrayGetItem($.rolls, $.i)",
            },
            "Next": "checkRoll",
        }
    definition = {
        "StartAt": "lambdaRollDie",
        "States": {
            "lambdaRollDie": die,
            "checkRoll": {
                "Type": "Choice",
                "Choices": [
                    {
                        "Not": {"Variable": "$.roll", "NumericGreaterThan": 3},
                        "Next": "tryAgainShortly",
                    }
                ],
                "Default": "success",
            },
            "tryAgainShortly": {"Type": "Wait", "Seconds": 0, "Next": "lambdaRollDie"},
            "success": {"Type": "Succeed"},
        },
    }
    return definition, {"rolls": rolls, "i": 0}


def deterministic_die(rolls: list[int]) -> Any:
    state = {"i": 0}

    def handler(event: Any, context: Any) -> Any:
        roll = rolls[state["i"]]
        state["i"] += 1
        return {"roll": roll}

    return handler


def ours(
    definition: dict[str, Any], data: Any, functions: Any = None, repeat: int = 3
) -> tuple[float, int]:
    """Best of `repeat` runs (the machine is shared; noise only ever adds time)."""
    machine = StateMachine.from_asl(definition)
    best = float("inf")
    count = 0
    for _ in range(repeat):
        handlers = functions() if callable(functions) else functions
        start = time.perf_counter()
        # The 20k-iteration loop has 80k events: past AWS's 25,000-event limit,
        # which is lifted here to measure the cost per transition.
        execution = run(machine, data, fast=True, functions=handlers, max_events=10**7)
        best = min(best, time.perf_counter() - start)
        assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
        count = len(execution.states_entered)
    return best, count


def moto(definition: dict[str, Any], data: Any) -> tuple[float, int]:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    import boto3
    from moto import mock_aws

    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name="us-east-1")
        arn = client.create_state_machine(
            name="bench",
            definition=json.dumps(definition),
            roleArn="arn:aws:iam::123456789012:role/bench",
        )["stateMachineArn"]
        start = time.perf_counter()
        execution = client.start_execution(stateMachineArn=arn, input=json.dumps(data))
        while True:
            status = client.describe_execution(executionArn=execution["executionArn"])["status"]
            if status != "RUNNING":
                break
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        assert status == "SUCCEEDED", status
        history = client.get_execution_history(
            executionArn=execution["executionArn"], maxResults=1000
        )
        events = list(history["events"])
        while "nextToken" in history:
            history = client.get_execution_history(
                executionArn=execution["executionArn"],
                maxResults=1000,
                nextToken=history["nextToken"],
            )
            events.extend(history["events"])
        entered = sum(1 for e in events if e["type"].endswith("StateEntered"))
    return elapsed, entered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args(argv)
    n = 200 if args.quick else 1000
    cases = [
        ("(a) loop Pass+Choice", *loop(n)),
        ("(b) map of Pass", *map_items(n)),
        ("(c) roll-die", *roll_die(n)),
    ]
    print(f"{'machine':<24} {'transitions':>11} {'ours t/s':>12} {'moto t/s':>12} {'ratio':>8}")
    for name, definition, data in cases:
        ours_time, ours_count = ours(definition, data)
        moto_time, moto_count = moto(definition, data)
        ours_rate = ours_count / ours_time
        moto_rate = moto_count / moto_time
        print(
            f"{name:<24} {ours_count:>11} {ours_rate:>12,.0f} {moto_rate:>12,.0f} "
            f"{ours_rate / moto_rate:>7.1f}x"
        )
    definition, data = roll_die(n, with_lambda=True)
    rolls = data["rolls"]
    lambda_time, lambda_count = ours(definition, {}, lambda: {"roll_die": deterministic_die(rolls)})
    print(f"{'(c) roll-die (Lambda)':<24} {lambda_count:>11} {lambda_count / lambda_time:>12,.0f}")
    definition, data = map_of_waits(n)
    waits_time, waits_count = ours(definition, data)
    execution = run(StateMachine.from_asl(definition), data, fast=True, max_events=10**7)
    engine_seconds = execution.history[-1]["timestamp"] - execution.history[0]["timestamp"]
    print(
        f"{'(d) map of 1 s waits':<24} {waits_count:>11} {waits_count / waits_time:>12,.0f}"
        f"  ({n} iterations at once: {engine_seconds:.0f} s of engine time, "
        f"{1e6 * waits_time / n:.0f} us per iteration)"
    )
    print()
    print(f"{'loop iterations':>16} {'transitions':>12} {'seconds':>9} {'us/transition':>14}")
    sizes = [1000, 2000, 5000] if args.quick else [1000, 2000, 5000, 10000, 20000]
    for size in sizes:
        definition, data = loop(size)
        elapsed, count = ours(definition, data)
        print(f"{size:>16} {count:>12} {elapsed:>9.3f} {1e6 * elapsed / count:>14.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
