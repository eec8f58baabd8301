from __future__ import annotations

from typing import Any

import pytest

import phalanx
from phalanx.errors import DefinitionError


def wait(seconds: int, **machine: Any) -> dict[str, Any]:
    states = {"W": {"Type": "Wait", "Seconds": seconds, "End": True}}
    return {"StartAt": "W", "States": states, **machine}


@pytest.mark.parametrize(
    ("machine", "machine_type", "status", "duration"),
    [
        pytest.param(wait(400), "EXPRESS", "TIMED_OUT", 300, id="express-5-minutes"),
        pytest.param(wait(400, TimeoutSeconds=100), "EXPRESS", "TIMED_OUT", 100, id="express-own"),
        pytest.param(wait(400, TimeoutSeconds=900), "EXPRESS", "TIMED_OUT", 300, id="express-cap"),
        pytest.param(wait(299), "EXPRESS", "SUCCEEDED", 299, id="express-within"),
        pytest.param(wait(400), "STANDARD", "SUCCEEDED", 400, id="standard"),
    ],
)
def test_express_executions_last_at_most_five_minutes(
    machine: Any, machine_type: str, status: str, duration: int
) -> None:
    execution = phalanx.run(machine, {}, fast=True, machine_type=machine_type)
    assert execution.status == status
    history = execution.history
    assert history[-1]["timestamp"] - history[0]["timestamp"] == pytest.approx(duration)


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync",
        "arn:aws:states:::states:startExecution.sync:2",
    ],
)
def test_express_machines_refuse_sync_and_callback_resources(resource: str) -> None:
    task = {"Type": "Task", "Resource": resource, "Parameters": {"FunctionName": "f"}, "End": True}
    machine = {"StartAt": "A", "States": {"A": task}}
    with pytest.raises(DefinitionError, match=r"/States/A/Resource.*Express"):
        phalanx.run(machine, {}, fast=True, machine_type="EXPRESS")
