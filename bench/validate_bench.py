"""Benchmark `phalanx.validation` on generated machines, with cfn-lint's E3601 as a peer.

    python bench/validate_bench.py [--states 2000] [--repeat 7]

Prints a table: machine size, Phalanx's best and median time, and, when
cfn-lint is installed in the same environment, the time cfn-lint takes to lint a
CloudFormation template holding the same definition (error rules only; its
rule E3601, `StateMachineDefinition`, is the one with work to do), measured in
the same run, and the ratio.
cfn-lint's time includes parsing the template, which Phalanx does not do, so
the ratio flatters Phalanx a little; the template is built as a Python string
to keep that part small. statelint (the Python port, `pip install statelint`)
is measured too when installed, on the same dict; it checks fewer rules
(the ASL spec of 2016-2023: no AWS resource, integration or JSONata rules).

The target: a 2,000-state machine validates in under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from phalanx.validation import validate

TARGET_MS = 100.0


def generate(states: int) -> dict[str, Any]:
    """A machine of about `states` states mixing every type, with nested Parallel and Map."""
    body: dict[str, Any] = {}
    names = [f"Step{i:05d}" for i in range(states)]
    i = 0
    while i < states - 1:
        name, nxt = names[i], names[i + 1]
        kind = i % 8
        if kind == 0:
            body[name] = {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "work", "Payload.$": "$", "id.$": "$$.Execution.Id"},
                "ResultSelector": {"body.$": "$.Payload.body"},
                "ResultPath": "$.result",
                "Retry": [
                    {
                        "ErrorEquals": ["Lambda.ServiceException"],
                        "MaxAttempts": 3,
                        "BackoffRate": 2,
                    },
                    {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1},
                ],
                "Catch": [
                    {"ErrorEquals": ["States.ALL"], "Next": names[-1], "ResultPath": "$.error"}
                ],
                "Next": nxt,
            }
        elif kind == 1:
            body[name] = {
                "Type": "Choice",
                "Choices": [
                    {
                        "And": [
                            {"Variable": "$.result.body.count", "NumericGreaterThan": 10},
                            {"Variable": "$.result.body.kind", "StringEquals": "big"},
                        ],
                        "Next": nxt,
                    },
                    {"Variable": "$.flag", "BooleanEquals": True, "Next": nxt},
                ],
                "Default": nxt,
            }
        elif kind == 2:
            body[name] = {"Type": "Wait", "Seconds": 1, "Next": nxt}
        elif kind == 3:
            body[name] = {
                "Type": "Pass",
                "Parameters": {
                    "msg.$": "States.Format('item {}', $.id)",
                    "list.$": "States.Array(1, 2)",
                },
                "Next": nxt,
            }
        elif kind == 4 and i + 3 < states - 1:
            inner_a, inner_b = names[i + 1], names[i + 2]
            body[name] = {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": inner_a, "States": {inner_a: {"Type": "Pass", "End": True}}},
                    {"StartAt": inner_b, "States": {inner_b: {"Type": "Pass", "End": True}}},
                ],
                "Next": names[i + 3],
            }
            i += 3
            continue
        elif kind == 5 and i + 2 < states - 1:
            inner = names[i + 1]
            body[name] = {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": 5,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": inner,
                    "States": {inner: {"Type": "Pass", "End": True}},
                },
                "Next": names[i + 2],
            }
            i += 2
            continue
        else:
            body[name] = {"Type": "Pass", "Next": nxt}
        i += 1
    body[names[-1]] = {"Type": "Succeed"}
    return {"Comment": f"generated, {states} states", "StartAt": names[0], "States": body}


def time_ms(fn: Any, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def cfn_lint_runner(definition: dict[str, Any]) -> Any:
    try:
        from cfnlint.api import ManualArgs, lint
    except ImportError:
        return None
    template = json.dumps(
        {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                "Flow": {
                    "Type": "AWS::StepFunctions::StateMachine",
                    "Properties": {
                        "RoleArn": "arn:aws:iam::123456789012:role/r",
                        "Definition": definition,
                    },
                }
            },
        }
    )
    # Warnings and informational rules off; the other error rules have only one small
    # resource to look at, so E3601 dominates the time.
    config = ManualArgs(regions=["us-east-1"], ignore_checks=["W", "I"])
    return lambda: lint(template, config=config)


def statelint_runner(definition: dict[str, Any]) -> Any:
    """statelint (the Python port), if installed: `Linter.validate` on the same dict."""
    try:
        from statelint.linter import Linter
    except ImportError:
        return None
    return lambda: Linter.validate(definition)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, nargs="*", default=[100, 500, 2000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = []
    status = 0
    for count in args.states:
        definition = generate(count)
        result = validate(definition)
        assert result.result == "OK", result.to_dict()["diagnostics"][:3]
        ours = time_ms(lambda d=definition: validate(d), args.repeat)
        peers = []
        for make in (cfn_lint_runner, statelint_runner):
            runner = make(definition)
            peers.append(min(time_ms(runner, max(1, args.repeat // 2))) if runner else None)
        best = min(ours)
        if count >= 2000 and best >= TARGET_MS:
            status = 1
        rows.append((count, best, statistics.median(ours), peers))
    print(
        f"{'states':>7} {'phalanx best':>13} {'median':>9}"
        f" {'cfn-lint E3601':>15} {'ratio':>7} {'statelint-py':>13} {'ratio':>7}"
    )
    for count, best, median, peers in rows:
        cells = []
        for peer_ms in peers:
            if peer_ms is None:
                cells.append(f"{'not installed':>15} {'-':>7}")
            else:
                cells.append(f"{peer_ms:12.1f} ms {peer_ms / best:6.1f}x")
        print(f"{count:>7} {best:10.1f} ms {median:6.1f} ms " + " ".join(cells))
    print(
        f"target: 2,000 states in under {TARGET_MS:.0f} ms -> {'met' if status == 0 else 'MISSED'}"
    )
    return status


if __name__ == "__main__":
    raise SystemExit(main())
