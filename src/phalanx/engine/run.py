"""One state entry as it runs: its input, context, variables, retries and exit.

`Interpreter.run_state` makes a `StateRun` per state entry; the modules of
each state type (`choice.py`, `wait.py`, `task_run.py`, `parallel.py`,
`map.py`) take it and use its helpers for input, output, assignments and
failures. `StateRun.fallible` retries and catches a Task, Parallel or Map
attempt that the interpreter hands it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from phalanx.asl import NULL, Choice, Fail, Map, Parallel, Pass, State, Task
from phalanx.asl import Wait as WaitState
from phalanx.engine import choice as choice_rules
from phalanx.engine import expressions, io, limits, retry, wait
from phalanx.engine.effects import Request
from phalanx.engine.failures import Failure
from phalanx.engine.history import Thread, exited
from phalanx.engine.task import MAX_PAYLOAD_BYTES
from phalanx.errors import StatesError

if TYPE_CHECKING:
    from phalanx.engine.interpreter import Interpreter

Steps = Generator[Request, Any, Any]
"""A generator that yields effects, is sent their answers, and returns a value."""

JSONATA = "JSONata"


@functools.lru_cache(maxsize=256)
def iso_time(epoch: float) -> str:
    """`2024-03-06T10:29:14.123Z`, the context object's time format."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def size_of(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


class StateRun:
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
            # $$.Task.Token: unguessable, and the same when the journal is replayed.
            token = interpreter.token(f"{interpreter.current.strand.path}{entered_id}")
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

    def effect_id(self) -> str:
        """A fresh effect id on the strand running this state."""
        return self.interpreter.current.strand.next_id()

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
        return wait.wait_seconds(self, state)

    def choose_jsonpath(self, state: Choice, value: Any) -> tuple[str | None, Any]:
        return choice_rules.choose_jsonpath(self, state, value)

    def choose_jsonata(self, state: Choice) -> tuple[str | None, Any]:
        return choice_rules.choose_jsonata(self, state)

    # -- Task, Parallel, Map: retry and catch ---------------------------------

    def fallible(self, attempt: Callable[[], Steps]) -> Steps:
        """Run `attempt()` (a Task, Parallel or Map body), retrying and catching its failures."""
        state = self.state
        assert isinstance(state, Task | Parallel | Map)
        counts = [0] * len(state.retry or ())
        while True:
            try:
                try:
                    result = yield from attempt()
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
                            fraction = yield from self.interpreter.random()
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
