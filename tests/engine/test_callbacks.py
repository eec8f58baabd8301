"""Tasks that wait for someone else: task tokens and activities, with their time limits."""

from __future__ import annotations

from typing import Any

import pytest

from phalanx.engine.effects import Callback, CallbackResponse, ServiceResponse
from phalanx.runtime.clock import VirtualClock
from phalanx.runtime.local import Execution, run

ACTIVITY = "arn:aws:states:us-east-1:111111111111:activity:approve"


def task(resource: str, **fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "A",
        "States": {"A": {"Type": "Task", "Resource": resource, "End": True, **fields}},
    }


def callback_task(**fields: Any) -> dict[str, Any]:
    return task(
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Parameters={"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
        **fields,
    )


def types(execution: Execution) -> list[str]:
    return [e["type"] for e in execution.history]


def duration(execution: Execution) -> float:
    return float(execution.history[-1]["timestamp"] - execution.history[0]["timestamp"])


def test_task_token_answered_with_success() -> None:
    seen: list[Callback] = []

    def answer(request: Callback) -> CallbackResponse:
        seen.append(request)
        return CallbackResponse(output={"approved": True})

    execution = run(callback_task(), {}, fast=True, callbacks=answer)
    assert execution.succeeded and execution.output == {"approved": True}
    assert types(execution)[2:-1] == [
        "TaskScheduled",
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited",
    ]
    # The token the service was sent is the one the answer must name.
    assert seen[0].parameters["MessageBody"]["token"] == seen[0].token
    assert seen[0].state == "A"


def test_task_token_answered_with_failure() -> None:
    def answer(request: Callback) -> CallbackResponse:
        return CallbackResponse(error="Rejected", cause="no budget")

    execution = run(callback_task(), {}, fast=True, callbacks=answer)
    assert (execution.status, execution.error, execution.cause) == (
        "FAILED",
        "Rejected",
        "no budget",
    )
    failed = next(e for e in execution.history if e["type"] == "TaskFailed")
    assert failed["taskFailedEventDetails"] == {
        "resourceType": "sqs",
        "resource": "sendMessage.waitForTaskToken",
        "error": "Rejected",
        "cause": "no budget",
    }


@pytest.mark.parametrize(
    ("fields", "error", "seconds"),
    [
        pytest.param({"TimeoutSeconds": 30}, "States.Timeout", 30.0, id="timeout"),
        pytest.param(
            {"TimeoutSeconds": 60, "HeartbeatSeconds": 5},
            "States.HeartbeatTimeout",
            5.0,
            id="heartbeat",
        ),
        pytest.param(
            {"TimeoutSecondsPath": "$.t", "HeartbeatSecondsPath": "$.h"},
            "States.HeartbeatTimeout",
            7.0,
            id="paths",
        ),
    ],
)
def test_task_token_never_answered_times_out(
    fields: dict[str, Any], error: str, seconds: float
) -> None:
    execution = run(callback_task(**fields), {"t": 20, "h": 7}, fast=True, callbacks=lambda c: None)
    assert (execution.status, execution.error) == ("FAILED", error)
    timed_out = next(e for e in execution.history if e["type"] == "TaskTimedOut")
    assert timed_out["taskTimedOutEventDetails"]["error"] == error
    assert duration(execution) == seconds


def test_heartbeats_keep_a_task_alive_until_it_succeeds() -> None:
    answers = iter([CallbackResponse(heartbeat=True)] * 3 + [CallbackResponse(output="done")])
    execution = run(
        callback_task(HeartbeatSeconds=5, TimeoutSeconds=60),
        {},
        fast=True,
        callbacks=lambda c: next(answers),
    )
    assert execution.succeeded and execution.output == "done"


def test_a_timeout_can_be_caught() -> None:
    definition = callback_task(TimeoutSeconds=1)
    state = definition["States"]["A"]
    state["Catch"] = [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}]
    definition["States"]["Late"] = {"Type": "Pass", "Result": "late", "End": True}
    execution = run(definition, {}, fast=True, callbacks=lambda c: None)
    assert execution.succeeded and execution.output == "late"


def test_unanswered_callback_in_run_fails_clearly() -> None:
    execution = run(callback_task(), {}, fast=True)
    assert execution.status == "FAILED"
    assert "'A'" in (execution.cause or "") and "callbacks=" in (execution.cause or "")


def test_activity_runs_through_its_worker() -> None:
    def worker(request: Callback) -> CallbackResponse:
        assert request.activity == ACTIVITY
        return CallbackResponse(output={"n": request.parameters["n"] + 1}, worker="w1")

    execution = run(task(ACTIVITY, TimeoutSeconds=9), {"n": 1}, fast=True, callbacks=worker)
    assert execution.succeeded and execution.output == {"n": 2}
    events = execution.history
    assert types(execution)[2:-1] == [
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited",
    ]
    assert events[2]["activityScheduledEventDetails"] == {
        "resource": ACTIVITY,
        "input": '{"n":1}',
        "inputDetails": {"truncated": False},
        "timeoutInSeconds": 9,
    }
    assert events[3]["activityStartedEventDetails"] == {"workerName": "w1"}


def test_activity_failure_and_timeout() -> None:
    failed = run(
        task(ACTIVITY),
        {},
        fast=True,
        callbacks=lambda c: CallbackResponse(error="Boom", cause="worker"),
    )
    assert (failed.status, failed.error) == ("FAILED", "Boom")
    assert "ActivityFailed" in types(failed)
    timed_out = run(task(ACTIVITY, HeartbeatSeconds=3), {}, fast=True, callbacks=lambda c: None)
    assert (timed_out.status, timed_out.error) == ("FAILED", "States.HeartbeatTimeout")
    assert "ActivityTimedOut" in types(timed_out) and "ActivityStarted" not in types(timed_out)


def test_activity_arn_is_not_taken_for_a_lambda_function() -> None:
    execution = run(task(ACTIVITY), {}, fast=True)
    assert "Function not found" not in (execution.cause or "")
    assert "activity" in (execution.cause or "")


def test_task_tokens_are_long_and_differ_between_executions() -> None:
    tokens: list[str] = []

    def answer(request: Callback) -> CallbackResponse:
        tokens.append(request.token)
        return CallbackResponse(output=None)

    run(callback_task(), {}, fast=True, callbacks=answer)
    run(callback_task(), {}, fast=True, callbacks=answer)
    assert tokens[0] != tokens[1]
    assert all(len(token) >= 64 for token in tokens)


def test_service_calls_have_the_same_timeout_as_other_tasks() -> None:
    clock = VirtualClock()

    def slow(request: Any) -> ServiceResponse:
        clock.sleep(100)
        return ServiceResponse(output="late")

    execution = run(
        task("arn:aws:states:::sqs:sendMessage", TimeoutSeconds=5, Parameters={"QueueUrl": "q"}),
        {},
        clock=clock,
        services=slow,
    )
    assert (execution.status, execution.error) == ("FAILED", "States.Timeout")
    assert "TaskTimedOut" in types(execution)
    assert duration(execution) == 5.0
