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


def _express(*states: phalanx.State, **options: Any) -> phalanx.StateMachine:
    return phalanx.StateMachine.of(*states, type="EXPRESS", **options)


def test_a_declared_express_machine_runs_as_express() -> None:
    machine = _express(phalanx.Wait("W", seconds=400))
    execution = phalanx.run(machine, {}, fast=True)
    assert execution.status == "TIMED_OUT"
    history = execution.history
    assert history[-1]["timestamp"] - history[0]["timestamp"] == pytest.approx(300)


def test_the_declared_type_names_the_execution_and_its_context() -> None:
    context = phalanx.Pass("P", parameters={"id.$": "$$.Execution.Id", "context.$": "$$.Execution"})
    execution = phalanx.run(_express(context, name="Orders"), {}, fast=True, name="run1")
    assert ":express:Orders:run1:" in execution.output["id"]
    assert "RedriveCount" not in execution.output["context"]


def test_an_explicit_type_overrides_the_declared_one() -> None:
    machine = _express(phalanx.Wait("W", seconds=400))
    execution = phalanx.run(machine, {}, fast=True, machine_type="STANDARD")
    assert execution.status == "SUCCEEDED"


def test_a_declared_express_machine_refuses_a_callback_task() -> None:
    task = phalanx.Task(
        "A",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        parameters={"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}},
    )
    with pytest.raises(DefinitionError, match=r"/States/A/Resource.*Express"):
        phalanx.run(_express(task), {}, fast=True)
    for result in (phalanx.validate(_express(task)), _express(task).validate()):
        assert result.result == "FAIL"
        [diagnostic] = result.diagnostics
        assert diagnostic.location == "/States/A/Resource"
        assert "Express state machine does not support '.waitForTaskToken'" in diagnostic.message
    assert phalanx.validate(_express(task), machine_type="STANDARD").result == "OK"
    assert phalanx.validate(phalanx.StateMachine.of(task)).result == "OK"
