"""The Task state's work: build the request, yield it, turn the answer into a result.

Events follow the recorded histories: a function ARN gives
`LambdaFunctionScheduled/Started/Succeeded|Failed|TimedOut`; `lambda:invoke`
and other integrations give `TaskScheduled/Started/Succeeded|Failed|TimedOut`.
A `.waitForTaskToken` task and an Activity task wait for someone else
(`callbacks.py`).
"""

from __future__ import annotations

from typing import Any

from phalanx.asl import Task
from phalanx.engine import callbacks, io, limits
from phalanx.engine.callbacks import TIMEOUT_ERRORS
from phalanx.engine.effects import CallService, InvokeLambda, LambdaResponse, ServiceResponse
from phalanx.engine.failures import Failure, TimedOut
from phalanx.engine.history import data, error_details, from_text, to_text
from phalanx.engine.run import StateRun, Steps
from phalanx.engine.task import (
    MAX_PAYLOAD_BYTES,
    TaskCall,
    function_arn,
    function_error,
    invoke_result,
    parse_payload,
    parse_resource,
)
from phalanx.errors import StatesError


def _seconds(run: StateRun, value: Any, path: str | None, field: str) -> float | None:
    if run.jsonata and isinstance(value, str):
        value = run.jsonata_value(value, field)
    elif path is not None:
        value = io.select(path, run.effective_input(), run.scope)
    if value is None:
        return None
    # ASL: "the path must select a field whose value is a positive integer"
    # (TimeoutSecondsPath, HeartbeatSecondsPath): 1.5 is refused, not rounded.
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        shown = to_text(value)[:60]
        raise StatesError(
            "States.Runtime", f"The {field} value must be a positive integer, got {shown}"
        )
    return float(value)


def run_task(run: StateRun, state: Task) -> Steps:
    """Run the Task's work (one attempt); returns `(next, output)` via `run.finish`."""
    request = run.effective_parameters()
    timeout = _seconds(run, state.timeout_seconds, state.timeout_seconds_path, "TimeoutSeconds")
    heartbeat = _seconds(
        run, state.heartbeat_seconds, state.heartbeat_seconds_path, "HeartbeatSeconds"
    )
    info = run.interpreter.info
    resource = parse_resource(state.resource, info.region, info.account)
    call = TaskCall(resource, request, timeout, heartbeat)
    if resource.kind == "activity":
        result = yield from callbacks.run_activity(run, call)
    elif resource.pattern == "waitForTaskToken":
        result = yield from callbacks.wait_for_token(run, call)
    elif resource.kind == "function":
        result = yield from _invoke_function(run, call)
    else:
        result = yield from _integration(run, call)
    return run.finish_result(result)


def _limit(run: StateRun, timeout: float | None) -> tuple[float | None, bool]:
    """The effective timeout, and whether it is the execution's deadline."""
    remaining = run.interpreter.remaining()
    if remaining is not None and (timeout is None or remaining < timeout):
        return remaining, True
    return timeout, False


def _invoke_function(run: StateRun, call: TaskCall) -> Steps:
    interpreter = run.interpreter
    thread = run.thread
    resource, payload, timeout = call.resource, call.parameters, call.timeout
    info = interpreter.info
    arn = function_arn(resource.arn, info.region, info.account)
    scheduled: dict[str, Any] = {"resource": arn, **data("input", payload)}
    if timeout is not None:
        scheduled["timeoutInSeconds"] = int(timeout)
    interpreter.strand_history.add("LambdaFunctionScheduled", thread, scheduled)
    interpreter.strand_history.add("LambdaFunctionStarted", thread)
    limit, is_deadline = _limit(run, timeout)
    assert resource.function is not None
    response = yield from _invoke(run, call, resource.function, payload, limit, is_deadline)
    if response.timed_out:
        interpreter.strand_history.add(
            "LambdaFunctionTimedOut", thread, error_details("States.Timeout", None)
        )
        raise Failure("States.Timeout", None)
    failure = _failure(response, arn)
    if failure is not None:
        event = (
            "LambdaFunctionTimedOut" if failure.error in TIMEOUT_ERRORS else "LambdaFunctionFailed"
        )
        interpreter.strand_history.add(event, thread, error_details(failure.error, failure.cause))
        raise failure
    result = parse_payload(response)
    interpreter.strand_history.add("LambdaFunctionSucceeded", thread, data("output", result))
    return result


def _invoke(
    run: StateRun, call: TaskCall, function: str, payload: Any, limit: float | None, deadline: bool
) -> Steps:
    """Invoke `function`; its `LambdaResponse`. A timeout that is the execution's
    deadline (`deadline`) ends the execution: `TimedOut`."""
    interpreter = run.interpreter
    effect = InvokeLambda(
        run.state.name, function, payload, limit, call.heartbeat, id=run.effect_id()
    )
    interpreter.note_started(effect.id, run.thread)
    response = yield from interpreter.ask(effect)
    yield from interpreter.tick()
    assert isinstance(response, LambdaResponse)
    if response.timed_out and deadline:
        raise TimedOut()
    return response


def _failure(response: LambdaResponse, arn: str, task: str | None = None) -> Failure | None:
    """The failure an invocation ended with; `task` names the resource in limit causes
    (the function ARN, or `lambda` for lambda:invoke)."""
    if response.error is not None:
        return Failure(response.error, response.cause)
    if response.not_found:
        return Failure(
            "Lambda.ResourceNotFoundException",
            f"Function not found: {arn}:$LATEST (Service: AWSLambda; Status Code: 404; "
            f"Error Code: ResourceNotFoundException; Request ID: {response.request_id}; "
            "Proxy: null)",
        )
    if response.function_error is not None:
        error, cause = function_error(response)
        return Failure(error, cause)
    if limits.size_of(response.payload) > MAX_PAYLOAD_BYTES:
        return limits.result_too_large(task or arn)
    return None


def _integration(run: StateRun, call: TaskCall) -> Steps:
    interpreter = run.interpreter
    thread = run.thread
    resource, parameters, heartbeat = call.resource, call.parameters, call.heartbeat
    kind = callbacks.task_started(run, call)
    limit, is_deadline = _limit(run, call.timeout)
    if resource.kind == "invoke" and resource.pattern is None:
        if not isinstance(parameters, dict) or not isinstance(parameters.get("FunctionName"), str):
            failure = Failure(
                "States.Runtime",
                f"The Parameters of state '{run.state.name}' must name a FunctionName "
                "for arn:aws:states:::lambda:invoke",
            )
            interpreter.strand_history.add(
                "TaskFailed", thread, {**kind, **error_details(failure.error, failure.cause)}
            )
            raise failure
        payload = parameters.get("Payload")
        if payload is None:
            # No body: the handler's event is an empty object (corpus
            # services/test_lambda_task_service test_invoke: Payload null -> {}).
            payload = {}
        if isinstance(payload, str):
            # A string Payload is sent as the request body itself (corpus
            # services/test_lambda_task_service: "0" arrives as the number 0).
            try:
                payload = from_text(payload)
            except ValueError:
                failure = Failure(
                    "Lambda.InvalidRequestContentException",
                    "Could not parse request body into json: the Payload string is not JSON "
                    "(Service: Lambda, Status Code: 400)",
                )
                interpreter.strand_history.add(
                    "TaskFailed", thread, {**kind, **error_details(failure.error, failure.cause)}
                )
                raise failure from None
        function = parameters["FunctionName"]
        response = yield from _invoke(run, call, function, payload, limit, is_deadline)
        if response.timed_out:
            interpreter.strand_history.add(
                "TaskTimedOut", thread, {**kind, "error": "States.Timeout"}
            )
            raise Failure("States.Timeout", None)
        info = interpreter.info
        arn = function_arn(function, info.region, info.account)
        invoke_failure = _failure(response, arn, "lambda")
        if invoke_failure is not None:
            interpreter.strand_history.add(
                "TaskTimedOut" if invoke_failure.error in TIMEOUT_ERRORS else "TaskFailed",
                thread,
                {**kind, **error_details(invoke_failure.error, invoke_failure.cause)},
            )
            raise invoke_failure
        result = response.invoke_result
        if result is None:
            result = invoke_result(response, parse_payload(response), parameters.get("LogType"))
    else:
        service_call = CallService(
            run.state.name, resource.arn, parameters, limit, heartbeat, id=run.effect_id()
        )
        interpreter.note_started(service_call.id, thread)
        answer = yield from _within(run, service_call, limit, is_deadline)
        assert isinstance(answer, ServiceResponse)
        if answer.error is not None:
            details = {**kind, **error_details(answer.error, answer.cause)}
            if answer.error in TIMEOUT_ERRORS:
                interpreter.strand_history.add("TaskTimedOut", thread, details)
            else:
                interpreter.strand_history.add("TaskFailed", thread, details)
            raise Failure(answer.error, answer.cause)
        result = answer.output
    interpreter.strand_history.add("TaskSucceeded", thread, {**kind, **data("output", result)})
    return result


def _within(run: StateRun, effect: Any, limit: float | None, is_deadline: bool) -> Steps:
    """The answer to `effect`, or `States.Timeout` once `limit` seconds pass first.

    Every task kind has the same limits: a service call that outlives the
    state's TimeoutSeconds times out as a Lambda call does.
    """
    interpreter = run.interpreter
    if limit is None:
        answer = yield from interpreter.ask(effect)
        yield from interpreter.tick()
        return answer
    index, answer = yield from interpreter.first_of([effect, interpreter.sleep_effect(limit)])
    yield from interpreter.tick()
    if index == 1:
        if is_deadline:
            raise TimedOut()
        return ServiceResponse(error="States.Timeout")
    return answer
