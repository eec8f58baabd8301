"""Tasks that wait for someone else: `.waitForTaskToken` and Activity tasks.

Both yield a `Callback` effect carrying an unguessable task token (derived
from the journaled seed, so a replay has the same one) and wait for its
answer: success, failure, or a heartbeat. TimeoutSeconds and
HeartbeatSeconds race the answer with engine Sleeps, so they hold on the
virtual clock and across a restart (`States.Timeout`,
`States.HeartbeatTimeout`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from phalanx.engine.effects import Callback, CallbackResponse
from phalanx.engine.failures import Failure, TimedOut
from phalanx.engine.history import data, error_details, to_text
from phalanx.engine.run import StateRun, Steps
from phalanx.engine.task import TaskCall

TIMEOUT_ERRORS = ("States.Timeout", "States.HeartbeatTimeout")
"""Errors recorded as a `...TimedOut` event (TaskTimedOut, LambdaFunctionTimedOut,
ActivityTimedOut), not as a failure."""


def _token(run: StateRun) -> str:
    task = run.context.get("Task")
    if isinstance(task, dict) and isinstance(task.get("Token"), str):
        return str(task["Token"])
    return run.interpreter.token(f"{run.interpreter.current.strand.path}{run.entered_id}")


def wait_for_token(run: StateRun, call: TaskCall) -> Steps:
    """`.waitForTaskToken`: hand the request over, then wait for SendTask* with the token.

    Events (AWS "Wait for a Callback with Task Token"): TaskScheduled,
    TaskStarted, TaskSubmitted, then TaskSucceeded, TaskFailed or TaskTimedOut.
    """
    interpreter = run.interpreter
    thread = run.thread
    kind = task_started(run, call)
    # AWS puts the service's answer to the submission (an SQS MessageId, ...)
    # in TaskSubmitted's optional `output`; locally nothing is sent, so it has none.
    interpreter.strand_history.add("TaskSubmitted", thread, dict(kind))
    resource = call.resource
    callback = Callback(run.state.name, _token(run), resource.arn, call.parameters)
    response = yield from _await_callback(run, call, callback, lambda worker: None)
    if response.error is not None:
        event = "TaskTimedOut" if response.error in TIMEOUT_ERRORS else "TaskFailed"
        interpreter.strand_history.add(
            event, thread, {**kind, **error_details(response.error, response.cause)}
        )
        raise Failure(response.error, response.cause)
    interpreter.strand_history.add(
        "TaskSucceeded", thread, {**kind, **data("output", response.output)}
    )
    return response.output


def run_activity(run: StateRun, call: TaskCall) -> Steps:
    """An Activity task: scheduled for a worker, started when one takes it, then its result.

    Events: ActivityScheduled, ActivityStarted (workerName), then
    ActivitySucceeded, ActivityFailed or ActivityTimedOut.
    """
    interpreter = run.interpreter
    thread = run.thread
    resource = call.resource
    scheduled = {"resource": resource.arn, **data("input", call.parameters), **call.limits()}
    interpreter.strand_history.add("ActivityScheduled", thread, scheduled)
    started: list[bool] = []

    def start(worker: str | None) -> None:
        if not started:
            started.append(True)
            details = {} if worker is None else {"workerName": worker}
            interpreter.strand_history.add("ActivityStarted", thread, details)

    callback = Callback(run.state.name, _token(run), resource.arn, call.parameters, resource.arn)
    response = yield from _await_callback(run, call, callback, start)
    if response.error is not None:
        if response.error in TIMEOUT_ERRORS:
            interpreter.strand_history.add(
                "ActivityTimedOut", thread, error_details(response.error, None)
            )
        else:
            start(response.worker)
            interpreter.strand_history.add(
                "ActivityFailed", thread, error_details(response.error, response.cause)
            )
        raise Failure(response.error, response.cause)
    start(response.worker)
    interpreter.strand_history.add("ActivitySucceeded", thread, data("output", response.output))
    return response.output


def task_started(run: StateRun, call: TaskCall) -> dict[str, Any]:
    """Record TaskScheduled and TaskStarted of an integration; returns the events' `kind`
    fields (`resourceType`, `resource`: `action` or `action.pattern`) for the ones after."""
    resource = call.resource
    kind = {"resourceType": resource.service, "resource": resource.action}
    if resource.pattern is not None:
        kind["resource"] = f"{resource.action}.{resource.pattern}"
    interpreter = run.interpreter
    scheduled: dict[str, Any] = {
        **kind,
        "region": interpreter.info.region,
        "parameters": to_text(call.parameters),
        **call.limits(),
    }
    interpreter.strand_history.add("TaskScheduled", run.thread, scheduled)
    interpreter.strand_history.add("TaskStarted", run.thread, dict(kind))
    return kind


def _await_callback(
    run: StateRun, call: TaskCall, callback: Callback, on_started: Callable[[str | None], None]
) -> Steps:
    """Wait for the callback's answer, racing TimeoutSeconds and HeartbeatSeconds.

    A heartbeat (or a worker taking an activity task) restarts the
    heartbeat clock and the wait goes on with a fresh effect for the same
    token. Returns the final `CallbackResponse`; a timeout is a response
    with `States.Timeout` / `States.HeartbeatTimeout`.
    """
    interpreter = run.interpreter
    timeout, heartbeat = call.timeout, call.heartbeat
    now = interpreter.history.now
    ends = None if timeout is None else now + timeout
    beat = None if heartbeat is None else now + heartbeat
    while True:
        limits = [
            (moment, error)
            for moment, error in ((ends, "States.Timeout"), (beat, "States.HeartbeatTimeout"))
            if moment is not None
        ]
        deadline = interpreter.deadline
        if deadline is not None and (not limits or deadline < min(m for m, _ in limits)):
            limits = [(deadline, "")]
        waiting = dataclasses.replace(
            callback, timeout=timeout, heartbeat=heartbeat, id=run.effect_id()
        )
        effects: list[Any] = [waiting]
        first = min(limits) if limits else None
        if first is not None:
            effects.append(interpreter.sleep_effect(max(0.0, first[0] - interpreter.history.now)))
        index, answer = yield from interpreter.first_of(effects)
        yield from interpreter.tick()
        if index == 1:
            assert first is not None
            if not first[1]:
                raise TimedOut()
            return CallbackResponse(error=first[1])
        assert isinstance(answer, CallbackResponse)
        if answer.heartbeat or answer.started:
            on_started(answer.worker)
            if heartbeat is not None:
                beat = interpreter.history.now + heartbeat
            continue
        return answer
