"""Step an execution: the semantics of every state, free of clocks and threads.

`Interpreter.run()` is a generator. It yields effects (`effects.py`) and is
sent their answers; it returns an `Outcome`. Nothing here sleeps, reads the
time, or calls user code: the runtime does that and feeds the answers back.
Everything the interpreter knows between two effects follows from the
machine, the input and the answers so far, so the list of answers is the
execution's durable state (`runtime/local.py` replays it to resume).

Map and Parallel run their branches one after another (`map.py`,
`parallel.py`): AWS runs them concurrently, but each branch's events and
results are the same, and a deterministic order keeps runs reproducible.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import uuid
from collections.abc import Generator, Mapping
from typing import Any

from phalanx.asl import NULL, Choice, Fail, Map, Parallel, Pass, State, StateMachine, Task
from phalanx.asl import Wait as WaitState
from phalanx.engine import choice as choice_rules
from phalanx.engine import expressions, io, limits, retry
from phalanx.engine.effects import Effect, Now, Outcome, Random, Sleep
from phalanx.engine.failures import EventLimit, Failure, TimedOut
from phalanx.engine.history import MAX_EVENTS, History, Thread, entered, error_details, exited
from phalanx.engine.history import to_text as _to_text
from phalanx.engine.task import MAX_PAYLOAD_BYTES
from phalanx.errors import DefinitionError, PhalanxError, StatesError
from phalanx.functions import DEFAULT_ACCOUNT, DEFAULT_REGION
from phalanx.query.intrinsics import Sources

Steps = Generator[Effect, Any, Any]

JSONATA = "JSONata"

EXPRESS_MAX_SECONDS = 300
"""The longest an Express execution may run."""


@dataclasses.dataclass(frozen=True, slots=True)
class ExecutionInfo:
    """Names and ARNs of one execution, as the context object shows them."""

    name: str = "local-execution"
    state_machine_name: str = "local-machine"
    role_arn: str = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/phalanx-local"
    region: str = DEFAULT_REGION
    account: str = DEFAULT_ACCOUNT
    machine_type: str = "STANDARD"

    @property
    def state_machine_arn(self) -> str:
        return f"arn:aws:states:{self.region}:{self.account}:stateMachine:{self.state_machine_name}"

    @property
    def execution_arn(self) -> str:
        base = f"arn:aws:states:{self.region}:{self.account}"
        if self.machine_type == "EXPRESS":
            # Express ARNs carry a second id after the name (corpus express/).
            run_id = uuid.uuid5(uuid.NAMESPACE_URL, self.name)
            return f"{base}:express:{self.state_machine_name}:{self.name}:{run_id}"
        return f"{base}:execution:{self.state_machine_name}:{self.name}"


@functools.lru_cache(maxsize=256)
def iso_time(epoch: float) -> str:
    """`2024-03-06T10:29:14.123Z`, the context object's time format."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def size_of(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


class Interpreter:
    """Runs one execution of `machine` on `input` (see module docstring)."""

    def __init__(
        self,
        machine: StateMachine,
        input: Any,
        info: ExecutionInfo | None = None,
        *,
        include_data: bool = True,
        sources: Sources | None = None,
        max_events: int = MAX_EVENTS,
        input_text: str | None = None,
    ) -> None:
        self.machine = machine
        self.input = input
        self.input_text = input_text
        # The first state's input is the execution input: show it as sent.
        self._last_text: tuple[Any, str] = (
            (input, input_text) if input_text is not None else (object(), "")
        )
        self.info = info or ExecutionInfo()
        self.history = History(include_data)
        # JSONata's $now()/$millis() read the execution's clock, so virtual time and
        # replays see the same instant the history records.
        self.sources = dataclasses.replace(sources or Sources(), now=lambda: self.history.now)
        self.max_events = max_events
        self.deadline: float | None = None
        self.start_time = 0.0
        self._execution_context: dict[str, Any] = {}

    def text(self, value: Any) -> str:
        """JSON text of `value`, reusing the last one when the same object comes again.

        A state's output object is the next state's input: serialising it once
        for both history events halves the cost of a transition.
        """
        last, text = self._last_text
        if value is last:
            return text
        text = _to_text(value)
        self._last_text = (value, text)
        return text

    # -- time -------------------------------------------------------------

    def tick(self) -> Steps:
        """Refresh the current time (after anything that may take time)."""
        self.history.now = yield Now()

    def sleep(self, seconds: float) -> Steps:
        """Let `seconds` pass, unless the execution times out first."""
        if seconds > 0:
            now = self.history.now
            if self.deadline is not None and now + seconds >= self.deadline:
                yield Sleep(max(0.0, self.deadline - now))
                yield from self.tick()
                raise TimedOut()
            yield Sleep(seconds)
        yield from self.tick()

    def remaining(self) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.history.now)

    def check_deadline(self) -> None:
        if self.deadline is not None and self.history.now >= self.deadline:
            raise TimedOut()

    # -- the execution ----------------------------------------------------

    def run(self) -> Generator[Effect, Any, Outcome]:
        yield from self.tick()
        self.start_time = self.history.now
        history = self.history
        timeout = self.machine.timeout_seconds
        if not isinstance(timeout, int | float) or isinstance(timeout, bool):
            timeout = None
        if self.info.machine_type == "EXPRESS":
            # Express executions run for at most five minutes (AWS "Standard and
            # Express workflow types": maximum duration 5 minutes).
            timeout = EXPRESS_MAX_SECONDS if timeout is None else min(timeout, EXPRESS_MAX_SECONDS)
        if timeout is not None:
            self.deadline = self.start_time + timeout
        self._execution_context = {
            "Id": self.info.execution_arn,
            "Input": self.input,
            "StartTime": iso_time(self.start_time),
            "Name": self.info.name,
            "RoleArn": self.info.role_arn,
        }
        if self.info.machine_type != "EXPRESS":
            # Express executions cannot be redriven: no RedriveCount (corpus express/).
            self._execution_context["RedriveCount"] = 0
        history.add(
            "ExecutionStarted",
            Thread(),
            {
                # The execution input as the caller sent it, when known.
                "input": self.input_text if self.input_text is not None else _to_text(self.input),
                "inputDetails": {"truncated": False},
                "roleArn": self.info.role_arn,
            },
        )
        top = Thread()
        language = self.machine.query_language
        try:
            output = yield from self.run_branch(
                self.machine.states, self.machine.start_at, self.input, {}, top, language
            )
        except Failure as failure:
            history.add("ExecutionFailed", top, error_details(failure.error, failure.cause))
            return self._outcome("FAILED", None, failure.error, failure.cause)
        except TimedOut:
            history.add("ExecutionTimedOut", top, {})
            return self._outcome("TIMED_OUT", None, None, None)
        except StatesError as error:
            # An evaluation error outside any state (cannot normally happen).
            history.add("ExecutionFailed", top, error_details(error.error, error.cause))
            return self._outcome("FAILED", None, error.error, error.cause)
        except PhalanxError as error:
            # A definition the validator would refuse (a path that does not
            # parse, ...): AWS refuses it at creation; locally it fails the run.
            cause = f"Invalid definition: {error}"
            history.add("ExecutionFailed", top, error_details("States.Runtime", cause))
            return self._outcome("FAILED", None, "States.Runtime", cause)
        except EventLimit:
            cause = (
                f"The execution reached the maximum number of history events ({self.max_events})."
            )
            history.add("ExecutionFailed", top, error_details("States.Runtime", cause))
            return self._outcome("FAILED", None, "States.Runtime", cause)
        history.add(
            "ExecutionSucceeded",
            top,
            {"output": _to_text(output), "outputDetails": {"truncated": False}},
        )
        return self._outcome("SUCCEEDED", output, None, None)

    def _outcome(self, status: str, output: Any, error: str | None, cause: str | None) -> Outcome:
        return Outcome(status, output, error, cause, tuple(self.history.events))

    def run_branch(
        self,
        states: Mapping[str, State],
        start_at: str,
        value: Any,
        variables: dict[str, Any],
        thread: Thread,
        language: str | None,
        map_item: dict[str, Any] | None = None,
    ) -> Steps:
        """Run states from `start_at` until one ends; returns the last output."""
        name: str | None = start_at
        while name is not None:
            state = states.get(name)
            if state is None:
                raise DefinitionError("/States", f"the next state {name!r} is not defined")
            name, value = yield from self.run_state(state, value, variables, thread, language)
        return value

    # -- one state --------------------------------------------------------

    def context(self, state: State, entered_time: float, retry_count: int | None) -> dict[str, Any]:
        state_context: dict[str, Any] = {"Name": state.name, "EnteredTime": iso_time(entered_time)}
        if retry_count is not None:
            state_context["RetryCount"] = retry_count
        return {
            "Execution": self._execution_context,
            "StateMachine": {
                "Id": self.info.state_machine_arn,
                "Name": self.info.state_machine_name,
            },
            "State": state_context,
        }

    def add(
        self,
        event_type: str,
        thread: Thread,
        details: dict[str, Any] | None = None,
        *,
        previous: int | None = None,
    ) -> int:
        # One slot stays free for the terminal event: the history never
        # holds more than max_events events.
        if len(self.history) >= self.max_events - 1:
            raise EventLimit()
        return self.history.add(event_type, thread, details, previous=previous)

    def run_state(
        self,
        state: State,
        raw_input: Any,
        variables: dict[str, Any],
        thread: Thread,
        language: str | None,
    ) -> Steps:
        """Run one state; returns `(next state name or None, output)`."""
        self.check_deadline()
        type_name = state.type_name
        input_text = self.text(raw_input)
        entered_previous = thread.last
        entered_id = self.add(
            f"{type_name}StateEntered", thread, entered(state.name, raw_input, input_text)
        )
        run = _StateRun(
            self, state, raw_input, variables, thread, language, entered_id, self.history.now
        )
        run.entered_previous = entered_previous
        try:
            if size_of(input_text) > MAX_PAYLOAD_BYTES:
                raise Failure(
                    "States.DataLimitExceeded",
                    f"The state/task '{state.name}' has an input with a size exceeding "
                    "the maximum number of bytes service limit.",
                )
            if isinstance(state, Task | Parallel | Map):
                result = yield from run.fallible()
            else:
                result = yield from run.simple()
        except StatesError as error:
            raise run.evaluation_failure(error) from None
        return result


class _StateRun:
    """The processing of one state entry (with its retries)."""

    def __init__(
        self,
        interpreter: Interpreter,
        state: State,
        raw_input: Any,
        variables: dict[str, Any],
        thread: Thread,
        language: str | None,
        entered_id: int,
        entered_time: float,
    ) -> None:
        self.interpreter = interpreter
        self.state = state
        self.raw_input = raw_input
        self.variables = variables
        self.thread = thread
        self.language = language
        self.jsonata = (state.query_language or language) == JSONATA
        self.entered_id = entered_id
        self.entered_previous = 0
        self.entered_time = entered_time
        self.retry_count = 0
        self.context = interpreter.context(
            state, entered_time, 0 if isinstance(state, Task) else None
        )
        if (
            isinstance(state, Task)
            and isinstance(state.resource, str)
            and state.resource.endswith(".waitForTaskToken")
        ):
            # $$.Task.Token: a deterministic token per state entry.
            token = f"{interpreter.info.name}-{state.name}-{entered_id}"
            self.context["Task"] = {"Token": token}
        self.scope = io.Scope(self.context, variables, interpreter.sources)

    # -- helpers ------------------------------------------------------------

    def prefix(self) -> str:
        return (
            f"An error occurred while executing the state '{self.state.name}' "
            f"(entered at the event id #{self.entered_id}). "
        )

    def evaluation_failure(self, error: StatesError) -> Failure:
        cause = self.prefix() + error.cause
        if self.jsonata:
            details = {"error": error.error, "cause": cause, "state": self.state.name}
            location = getattr(error, "location", None)
            if location is not None:
                details["location"] = location
            # AWS links EvaluationFailed to the event before the state was entered
            # (corpus assign/test_undefined_reference: 0 for the first state).
            # A Wait evaluates its fields once entered: it links to its entry.
            previous = self.entered_id if isinstance(self.state, WaitState) else None
            self.interpreter.add(
                "EvaluationFailed",
                self.thread,
                details,
                previous=self.entered_previous if previous is None else previous,
            )
        return Failure(error.error, cause)

    def bindings(self, **kwargs: Any) -> dict[str, Any]:
        return expressions.bindings(
            self.variables, input=self.raw_input, context=self.context, **kwargs
        )

    def jsonata_value(self, value: Any, field: str, **kwargs: Any) -> Any:
        return expressions.evaluate(value, self.bindings(**kwargs), field, self.interpreter.sources)

    def finish(
        self, next_state: str | None, output: Any, assigned: dict[str, Any] | None
    ) -> tuple[str | None, Any]:
        """Apply assignments, check the output's size, record the exit."""
        output_text = self.interpreter.text(output)
        if size_of(output_text) > MAX_PAYLOAD_BYTES:
            raise Failure(
                "States.DataLimitExceeded",
                f"The state/task '{self.state.name}' returned a result with a size exceeding "
                "the maximum number of bytes service limit.",
            )
        if assigned:
            limits.check_variable_sizes(self.state.name, assigned, self.variables)
            self.variables.update(assigned)
        event_type = f"{self.state.type_name}StateExited"
        details = exited(self.state.name, output, assigned, output_text)
        self.interpreter.add(event_type, self.thread, details)
        return next_state, output

    def check_input_size(self, value: Any) -> None:
        if value is not self.raw_input:
            limits.check_input_size(self.state.name, value)

    def next_of(self) -> str | None:
        state = self.state
        return None if getattr(state, "end", None) else getattr(state, "next_state", None)

    # -- JSONPath / JSONata input and output -----------------------------------

    def effective_input(self) -> Any:
        return io.select(getattr(self.state, "input_path", None), self.raw_input, self.scope)

    def parameters(self, value: Any) -> Any:
        parameters = getattr(self.state, "parameters", None)
        if parameters is None:
            return value
        return io.template(dict(parameters), value, self.scope, "Parameters")

    def jsonpath_output(self, result: Any) -> tuple[Any, dict[str, Any] | None]:
        """ResultSelector -> Assign -> ResultPath -> OutputPath, for a result."""
        state = self.state
        selector = getattr(state, "result_selector", None)
        if selector is not None:
            result = io.template(dict(selector), result, self.scope, "ResultSelector")
        assigned = io.assign_jsonpath(getattr(state, "assign", None), result, self.scope)
        if hasattr(state, "result_path"):
            merged = io.merge_result(state.result_path, self.raw_input, result)
        else:
            merged = result
        output = io.select(getattr(state, "output_path", None), merged, self.scope)
        return output, assigned

    def jsonata_output(
        self, result: Any, *, has_result: bool, default: Any
    ) -> tuple[Any, dict[str, Any] | None]:
        """Assign and Output, both evaluated before any variable changes."""
        state = self.state
        assign = getattr(state, "assign", None)
        assigned = None
        if assign is not None:
            assigned = self.jsonata_value(
                dict(assign), "Assign", result=result, has_result=has_result
            )
        output_template = getattr(state, "output", None)
        if output_template is None:
            output = default
        else:
            output = self.jsonata_value(
                output_template, "Output", result=result, has_result=has_result
            )
        return output, assigned

    # -- Pass, Choice, Wait, Succeed, Fail ------------------------------------

    def simple(self) -> Steps:
        state = self.state
        if isinstance(state, Fail):
            raise self.fail_state(state)
        if isinstance(state, WaitState):
            yield from self.interpreter.sleep(self.wait_seconds(state))
        if self.jsonata:
            return self.simple_jsonata()
        value = self.effective_input()
        if isinstance(state, Pass):
            value = self.parameters(value)
            if state.result is not None:
                value = None if state.result is NULL else state.result
            output, assigned = self.jsonpath_output(value)
            return self.finish(self.next_of(), output, assigned)
        if isinstance(state, Choice):
            return self.choose_jsonpath(state, value)
        assigned = io.assign_jsonpath(getattr(state, "assign", None), value, self.scope)
        output = io.select(getattr(state, "output_path", None), value, self.scope)
        return self.finish(self.next_of(), output, assigned)

    def simple_jsonata(self) -> tuple[str | None, Any]:
        state = self.state
        if isinstance(state, Choice):
            return self.choose_jsonata(state)
        output, assigned = self.jsonata_output(None, has_result=False, default=self.raw_input)
        return self.finish(self.next_of(), output, assigned)

    def fail_state(self, state: Fail) -> Failure:
        if self.jsonata:
            error = self.jsonata_value(state.error, "Error")
            cause = self.jsonata_value(state.cause, "Cause")
            return Failure(error, cause)
        error, cause = state.error, state.cause
        if state.error_path is not None:
            error = self.fail_path(state.error_path, "ErrorPath")
        if state.cause_path is not None:
            cause = self.fail_path(state.cause_path, "CausePath")
        return Failure(error, cause)

    def fail_path(self, path: str, field: str) -> Any:
        from phalanx.query import intrinsics, jsonpath, payload

        try:
            if intrinsics.is_intrinsic(path):
                return intrinsics.evaluate(
                    path,
                    self.raw_input,
                    context=self.context,
                    variables=self.variables,
                    sources=self.interpreter.sources,
                )
            return jsonpath.evaluate(
                path, self.raw_input, context=self.context, variables=self.variables
            )
        except jsonpath.PathNotFound as missing:
            raise StatesError(
                "States.Runtime", payload.not_found_cause(path, field, self.raw_input)
            ) from missing

    def wait_seconds(self, state: WaitState) -> float:
        from phalanx.engine.wait import wait_seconds

        return wait_seconds(self, state)

    def choose_jsonpath(self, state: Choice, value: Any) -> tuple[str | None, Any]:
        return choice_rules.choose_jsonpath(self, state, value)

    def choose_jsonata(self, state: Choice) -> tuple[str | None, Any]:
        return choice_rules.choose_jsonata(self, state)

    # -- Task, Parallel, Map: retry and catch ---------------------------------

    def fallible(self) -> Steps:
        from phalanx.engine import map as map_state
        from phalanx.engine import parallel, task_run

        state = self.state
        assert isinstance(state, Task | Parallel | Map)
        counts = [0] * len(state.retry or ())
        while True:
            try:
                try:
                    if isinstance(state, Task):
                        result = yield from task_run.run_task(self, state)
                    elif isinstance(state, Parallel):
                        result = yield from parallel.run_parallel(self, state)
                    else:
                        result = yield from map_state.run_map(self, state)
                    return result
                except StatesError as error:
                    raise self.evaluation_failure(error) from None
            except Failure as failure:
                if failure.error == "States.Runtime":
                    raise
                index = retry.find_retrier(state.retry, failure.error)
                if index is not None and state.retry is not None:
                    retrier = state.retry[index]
                    if counts[index] < retry.max_attempts(retrier):
                        fraction = None
                        if retrier.jitter_strategy == "FULL":
                            fraction = yield Random()
                        delay = retry.delay_seconds(retrier, counts[index], fraction)
                        counts[index] += 1
                        self.retry_count += 1
                        if "RetryCount" in self.context["State"]:
                            self.context["State"]["RetryCount"] = self.retry_count
                        yield from self.interpreter.sleep(delay)
                        continue
                if isinstance(state, Map | Parallel):
                    self.interpreter.add(f"{state.type_name}StateFailed", self.thread)
                catcher = retry.find_catcher(state.catch, failure.error)
                if catcher is None:
                    raise
                return self.caught(catcher, failure)

    def caught(self, catcher: Any, failure: Failure) -> tuple[str | None, Any]:
        error_output = {"Error": failure.error, "Cause": failure.cause or ""}
        if self.jsonata:
            assigned = None
            if catcher.assign is not None:
                assigned = self.jsonata_value(
                    dict(catcher.assign), "Assign", error_output=error_output, has_error=True
                )
            output: Any = error_output
            if catcher.output is not None:
                output = self.jsonata_value(
                    catcher.output, "Output", error_output=error_output, has_error=True
                )
            return self.finish(catcher.next_state, output, assigned)
        try:
            assigned = io.assign_jsonpath(catcher.assign, error_output, self.scope)
            output = io.merge_result(catcher.result_path, self.raw_input, error_output)
        except StatesError as error:
            raise self.evaluation_failure(error) from None
        return self.finish(catcher.next_state, output, assigned)
