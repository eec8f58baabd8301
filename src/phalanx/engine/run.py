"""One state entry as it runs: its input, context, variables, retries and exit.

`Interpreter.run_state` makes a `StateRun` per state entry; the modules of
each state type (`choice.py`, `wait.py`, `task_run.py`, `parallel.py`,
`map.py`) take it and use its helpers for input, output, assignments and
failures. `StateRun.fallible` retries and catches a Task, Parallel or Map
attempt that the interpreter hands it; `StateRun.simple` runs the other types.

What differs by state type is one table, `STATE_TYPES`: which data fields a
type has (read once, typed, into `DataFields`), how a Pass, Choice, Wait,
Succeed or Fail state runs, and whether a failure records a
`<Type>StateFailed` event.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any

from phalanx.asl import (
    NULL,
    Catcher,
    Choice,
    Fail,
    Map,
    Parallel,
    Pass,
    Retrier,
    State,
    Succeed,
    Task,
)
from phalanx.asl import Wait as WaitState
from phalanx.asl.fields import Null
from phalanx.engine import choice as choice_rules
from phalanx.engine import expressions, io, limits, retry, wait
from phalanx.engine.effects import Request
from phalanx.engine.failures import Failure
from phalanx.engine.history import Thread, exited
from phalanx.engine.limits import size_of as size_of  # interpreter.py imports it from here
from phalanx.engine.task import MAX_PAYLOAD_BYTES, parse_resource
from phalanx.engine.trail import CATCHER, RETRIER, Taken
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


@dataclasses.dataclass(frozen=True, slots=True)
class DataFields:
    """The fields that move a state's data, as far as its type has them (None: it has not)."""

    input_path: str | Null | None = None
    parameters: Mapping[str, Any] | None = None
    arguments: Any = None
    result_selector: Mapping[str, Any] | None = None
    result_path: str | Null | None = None
    output_path: str | Null | None = None
    assign: Mapping[str, Any] | None = None
    output: Any = None
    next_state: str | None = None  # None when the state ends the execution or has no Next
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


def _next(state: Pass | WaitState | Task | Parallel | Map) -> str | None:
    return None if state.end else state.next_state


def _pass_fields(state: Pass | Task | Parallel | Map) -> DataFields:
    return DataFields(
        state.input_path,
        state.parameters,
        result_path=state.result_path,
        output_path=state.output_path,
        assign=state.assign,
        output=state.output,
        next_state=_next(state),
    )


# Built whole, not by `dataclasses.replace` of a smaller set: they are made at
# every state entry, and replace costs several times a constructor.


def _fallible_fields(state: Task | Parallel | Map, arguments: Any = None) -> DataFields:
    return DataFields(
        state.input_path,
        state.parameters,
        arguments,
        result_selector=state.result_selector,
        result_path=state.result_path,
        output_path=state.output_path,
        assign=state.assign,
        output=state.output,
        next_state=_next(state),
        retry=state.retry or (),
        catch=state.catch or (),
    )


def _arguments_fields(state: Task | Parallel) -> DataFields:
    return _fallible_fields(state, state.arguments)


def _assigning_fields(state: Choice | WaitState) -> DataFields:
    return DataFields(
        state.input_path, output_path=state.output_path, assign=state.assign, output=state.output
    )


def _wait_fields(state: WaitState) -> DataFields:
    return DataFields(
        state.input_path,
        output_path=state.output_path,
        assign=state.assign,
        output=state.output,
        next_state=_next(state),
    )


def _succeed_fields(state: Succeed) -> DataFields:
    return DataFields(state.input_path, output_path=state.output_path, output=state.output)


def _no_fields(state: Fail) -> DataFields:
    return DataFields()


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
        self.kind = kind_of(state)
        self.fields = self.kind.fields(state)
        self.context = interpreter.context(
            state, entered_time, 0 if isinstance(state, Task) else None
        )
        if isinstance(state, Task) and parse_resource(state.resource).pattern == "waitForTaskToken":
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
            if isinstance(error, expressions.EvaluationError):
                details["location"] = error.location
            # AWS links EvaluationFailed to the event before the state was entered
            # (corpus assign/test_undefined_reference: 0 for the first state).
            # A Wait evaluates its fields once entered: it links to its entry.
            after_entry = self.kind.evaluates_after_entry
            previous = self.entered_id if after_entry else self.entered_previous
            self.interpreter.strand_history.add(
                "EvaluationFailed", self.thread, details, previous=previous
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
            raise limits.result_too_large(self.state.name)
        if assigned:
            limits.check_variable_sizes(self.state.name, assigned, self.variables)
            self.variables.update(assigned)
        event_type = f"{self.state.type_name}StateExited"
        details = exited(self.state.name, output, assigned, output_text)
        self.interpreter.strand_history.add(event_type, self.thread, details)
        return next_state, output

    def finish_result(self, result: Any) -> tuple[str | None, Any]:
        """Exit a Task, Parallel or Map with its result: the output fields, then `finish`."""
        self.note("result", result)
        if self.jsonata:
            output, assigned = self.jsonata_output(result, has_result=True, default=result)
        else:
            output, assigned = self.jsonpath_output(result)
        return self.finish(self.next_of(), output, assigned)

    def note(self, stage: str, value: Any) -> None:
        """Called with the data at each processing stage (`afterInputPath`, `result`, ...,
        as TestState's inspectionData names them); a plain run keeps nothing."""

    def effect_id(self) -> str:
        """A fresh effect id on the strand running this state."""
        return self.interpreter.current.strand.next_id()

    def check_input_size(self, value: Any) -> None:
        if value is not self.raw_input:
            limits.check_input_size(self.state.name, value)

    def next_of(self) -> str | None:
        return self.fields.next_state

    # -- JSONPath / JSONata input and output -----------------------------------

    def effective_input(self) -> Any:
        value = io.select(self.fields.input_path, self.raw_input, self.scope)
        self.note("afterInputPath", value)
        return value

    def parameters(self, value: Any) -> Any:
        parameters = self.fields.parameters
        if parameters is not None:
            value = io.template(dict(parameters), value, self.scope, "Parameters")
        self.note("afterParameters", value)
        return value

    def effective_parameters(self) -> Any:
        """What a Task or Parallel works on: `Arguments` (JSONata; the input when absent),
        else InputPath then Parameters; `States.DataLimitExceeded` over the payload quota."""
        arguments = self.fields.arguments
        if self.jsonata:
            value = self.raw_input
            if arguments is not None:
                value = self.jsonata_value(arguments, "Arguments")
                self.note("afterArguments", value)
        else:
            value = self.parameters(self.effective_input())
        self.check_input_size(value)
        return value

    def jsonpath_output(self, result: Any) -> tuple[Any, dict[str, Any] | None]:
        """ResultSelector -> Assign -> ResultPath -> OutputPath, for a result."""
        fields = self.fields
        if fields.result_selector is not None:
            result = io.template(dict(fields.result_selector), result, self.scope, "ResultSelector")
        self.note("afterResultSelector", result)
        assigned = io.assign_jsonpath(fields.assign, result, self.scope)
        merged = io.merge_result(fields.result_path, self.raw_input, result)
        self.note("afterResultPath", merged)
        output = io.select(fields.output_path, merged, self.scope)
        return output, assigned

    def jsonata_output(
        self, result: Any, *, has_result: bool, default: Any
    ) -> tuple[Any, dict[str, Any] | None]:
        """Assign and Output, both evaluated before any variable changes."""
        fields = self.fields
        assigned = None
        if fields.assign is not None:
            assigned = self.jsonata_value(
                dict(fields.assign), "Assign", result=result, has_result=has_result
            )
        output = default
        if fields.output is not None:
            output = self.jsonata_value(
                fields.output, "Output", result=result, has_result=has_result
            )
        return output, assigned

    # -- Pass, Choice, Wait, Succeed, Fail ------------------------------------

    def simple(self) -> Steps:
        """Run a Pass, Choice, Wait, Succeed or Fail state (a Wait sleeps first)."""
        kind = self.kind
        assert kind.run is not None, f"{self.state.type_name} states run through fallible()"
        if kind.delay is not None:
            yield from self.interpreter.sleep(kind.delay(self, self.state))
        return kind.run(self, self.state)

    def flow(self) -> tuple[str | None, Any]:
        """A state that only moves its input on (Wait, Succeed): Assign, then the output."""
        if self.jsonata:
            output, assigned = self.jsonata_output(None, has_result=False, default=self.raw_input)
            return self.finish(self.next_of(), output, assigned)
        value = self.effective_input()
        assigned = io.assign_jsonpath(self.fields.assign, value, self.scope)
        output = io.select(self.fields.output_path, value, self.scope)
        return self.finish(self.next_of(), output, assigned)

    def fail_state(self, state: Fail) -> Failure:
        if self.jsonata:
            error = self.jsonata_value(state.error, "Error")
            cause = self.jsonata_value(state.cause, "Cause")
            return Failure(error, cause)
        # A Fail has no InputPath; TestState still shows its input as `afterInputPath`
        # (recorded: test_base_inspection_level_debug, BASE_FAIL_STATE).
        self.note("afterInputPath", self.raw_input)
        error, cause = state.error, state.cause
        if state.error_path is not None:
            error = self.fail_path(state.error_path, "ErrorPath")
        if state.cause_path is not None:
            cause = self.fail_path(state.cause_path, "CausePath")
        return Failure(error, cause)

    def fail_path(self, path: str, field: str) -> Any:
        from phalanx.query import jsonpath, payload

        try:
            return payload.evaluate_path(
                path,
                self.raw_input,
                context=self.context,
                variables=self.variables,
                sources=self.interpreter.sources,
            )
        except jsonpath.PathNotFound as missing:
            raise StatesError(
                "States.Runtime", payload.not_found_cause(path, field, self.raw_input)
            ) from missing

    # -- Task, Parallel, Map: retry and catch ---------------------------------

    def fallible(self, attempt: Callable[[], Steps]) -> Steps:
        """Run `attempt()` (a Task, Parallel or Map body), retrying and catching its failures."""
        retriers, catchers = self.fields.retry, self.fields.catch
        counts = [0] * len(retriers)
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
                index = retry.find_retrier(retriers, failure.error)
                if index is not None:
                    retrier = retriers[index]
                    if counts[index] < retry.max_attempts(retrier):
                        fraction = None
                        if retrier.jitter_strategy == "FULL":
                            fraction = yield from self.interpreter.random()
                        delay = retry.delay_seconds(retrier, counts[index], fraction)
                        counts[index] += 1
                        self.retry_count += 1
                        if "RetryCount" in self.context["State"]:
                            self.context["State"]["RetryCount"] = self.retry_count
                        self.interpreter.trail.append(Taken(self.state.name, RETRIER, index))
                        yield from self.interpreter.sleep(delay)
                        continue
                if self.kind.records_failure:
                    self.interpreter.strand_history.add(
                        f"{self.state.type_name}StateFailed", self.thread
                    )
                catcher = retry.find_catcher(catchers, failure.error)
                if catcher is None:
                    raise
                position = next(i for i, c in enumerate(catchers or ()) if c is catcher)
                self.interpreter.trail.append(Taken(self.state.name, CATCHER, position))
                return self.caught(catcher, failure)

    def caught(self, catcher: Catcher, failure: Failure) -> tuple[str | None, Any]:
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


# -- the state-type table ------------------------------------------------------


def _run_pass(run: StateRun, state: Pass) -> tuple[str | None, Any]:
    if run.jsonata:
        return run.flow()
    value = run.parameters(run.effective_input())
    if state.result is not None:
        value = None if state.result is NULL else state.result
        run.note("result", value)
    output, assigned = run.jsonpath_output(value)
    return run.finish(run.next_of(), output, assigned)


def _run_choice(run: StateRun, state: Choice) -> tuple[str | None, Any]:
    if run.jsonata:
        return choice_rules.choose_jsonata(run, state)
    return choice_rules.choose_jsonpath(run, state, run.effective_input())


def _run_flow(run: StateRun, state: WaitState | Succeed) -> tuple[str | None, Any]:
    return run.flow()


def _run_fail(run: StateRun, state: Fail) -> tuple[str | None, Any]:
    raise run.fail_state(state)


@dataclasses.dataclass(frozen=True, slots=True)
class StateKind:
    """How the engine treats one state type."""

    fields: Callable[[Any], DataFields]
    # Pass, Choice, Wait, Succeed, Fail; None: Task, Parallel and Map run as the
    # interpreter's attempts, through `StateRun.fallible` (retries and catchers).
    run: Callable[[StateRun, Any], tuple[str | None, Any]] | None = None
    delay: Callable[[StateRun, Any], float] | None = None  # seconds to sleep first (Wait)
    records_failure: bool = False  # `<Type>StateFailed` before Retry and Catch (Parallel, Map)
    evaluates_after_entry: bool = False  # EvaluationFailed links to the state's entry (Wait)


STATE_KINDS: Mapping[type[State], StateKind] = {
    Pass: StateKind(_pass_fields, _run_pass),
    Task: StateKind(_arguments_fields),
    Choice: StateKind(_assigning_fields, _run_choice),
    WaitState: StateKind(
        _wait_fields, _run_flow, delay=wait.wait_seconds, evaluates_after_entry=True
    ),
    Succeed: StateKind(_succeed_fields, _run_flow),
    Fail: StateKind(_no_fields, _run_fail),
    Parallel: StateKind(_arguments_fields, records_failure=True),
    Map: StateKind(_fallible_fields, records_failure=True),
}
"""Each state type's data fields and handling."""


def kind_of(state: State) -> StateKind:
    """The table entry for `state`'s type (a subclass has its base's)."""
    for cls in type(state).__mro__:
        kind = STATE_KINDS.get(cls)
        if kind is not None:
            return kind
    raise TypeError(f"State {state.name!r}: {type(state).__name__} is not an ASL state type")
