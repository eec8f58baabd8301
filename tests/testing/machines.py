"""A small order machine and a "production" history of it, recorded by running it here."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import phalanx
from phalanx.runtime import clock

ARN = "arn:aws:lambda:us-east-1:111111111111:function:"

ORDERS: dict[str, Any] = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": ARN + "charge",
            "ResultPath": "$.charge",
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refund"}],
            "Next": "CheckAmount",
        },
        "CheckAmount": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Review"},
            ],
            "Default": "Approve",
        },
        "Review": {
            "Type": "Task",
            "Resource": ARN + "review",
            "ResultPath": "$.review",
            "Next": "Done",
        },
        "Approve": {"Type": "Pass", "Result": "auto", "ResultPath": "$.review", "Next": "Done"},
        "Refund": {"Type": "Pass", "End": True},
        "Done": {"Type": "Succeed"},
    },
}


def changed(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """ORDERS with one field (by its keys and list positions) set to `value`."""
    definition = copy.deepcopy(ORDERS)
    target: Any = definition
    for key in path[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    target[path[-1]] = value
    return definition


class Flaky(Exception):
    pass


def record(amount: int, fail_first: bool = True, review_seconds: float = 0) -> dict[str, Any]:
    """Run ORDERS as production did: the first charge fails (retried), then both succeed."""
    calls: list[Any] = []

    def charge(event: Any, context: Any) -> Any:
        calls.append(event)
        if fail_first and len(calls) == 1:
            raise Flaky("card network busy")
        return {"id": f"ch_{len(calls)}", "amount": event["amount"]}

    def review(event: Any, context: Any) -> Any:
        clock.sleep(review_seconds)
        return {"by": "alice", "ok": True}

    execution = phalanx.run(
        ORDERS,
        {"amount": amount},
        functions={"charge": charge, "review": review},
        fast=True,
        start_time="2024-03-01T12:00:00Z",
    )
    return execution.to_dict()


def as_aws_cli(document: dict[str, Any]) -> dict[str, Any]:
    """The history as `aws stepfunctions get-execution-history` prints it (ISO timestamps)."""
    events = []
    for event in document["history"]:
        moment = datetime.fromtimestamp(event["timestamp"], UTC)
        events.append({**event, "timestamp": moment.isoformat(timespec="microseconds")})
    return {"events": events}
