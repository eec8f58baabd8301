"""Evaluate one state once, on its own: the engine behind the TestState API.

AWS "Testing state machines with TestState API"
(docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html):
the state runs once on the given input, variables and context object, and
the answer says how it ended and where it would go next:

* `SUCCEEDED` (with `next_state` when the state has a Next, or a Choice picked
  one); `FAILED` (error and cause);
* `RETRIABLE`: a Retrier matches the error and has attempts left after the
  `retry_count` already made (`stateConfiguration.retrierRetryCount`); the
  details name the Retrier and its backoff. Nothing is retried here;
* `CAUGHT_ERROR`: a Catcher matches; the output is the Catcher's and
  `next_state` its Next.

A Wait does not wait (TestState returns at once). A Task, Map or Parallel may
be given a `MockedResult` instead of doing its work; a Task without one
asks the runtime (`InvokeLambda`, `CallService`) as an execution's Task does.
The states' own semantics are `StateRun`'s: this module records the data
at each stage through `StateRun.note` and decides the status.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Generator, Mapping
from typing import Any

from phalanx.asl import Map, Parallel, Pass, State, StateMachine, Task
from phalanx.engine import map as map_state
from phalanx.engine import parallel, retry, task_run
from phalanx.engine.effects import Outcome, Request
from phalanx.engine.failures import Failure, TimedOut
from phalanx.engine.history import Thread, entered
from phalanx.engine.interpreter import EXPRESS_MAX_SECONDS, ExecutionInfo, Interpreter
from phalanx.engine.run import StateRun, Steps, iso_time
from phalanx.errors import PhalanxError, StatesError

SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
RETRIABLE = "RETRIABLE"
CAUGHT_ERROR = "CAUGHT_ERROR"


@dataclasses.dataclass(frozen=True, slots=True)
class MockedResult:
    """What a Task, Map or Parallel gives instead of doing its work: `result`, or `error`.

    A Map's result is the list of its iterations' outputs; `map_failures` of
    them failed (`stateConfiguration.mapIterationFailureCount`), which fails
    the state once over its tolerated failures. A Parallel's result is the
    list of its branches' outputs.
    """

    result: Any = None
    error: str | None = None
    cause: str | None = None
    map_failures: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class ErrorDetails:
    """Which Retrier or Catcher handled the error (TestState's `errorDetails`)."""

    catch_index: int | None = None
    retry_index: int | None = None
    retry_backoff_interval_seconds: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class StateTestOutcome:
    """How the state ended, and its data at each stage it reached.

    `stages` maps TestState's inspectionData names (`input`, `afterInputPath`,
    `afterParameters`, `afterArguments`, `result`, `afterResultSelector`,
    `afterResultPath`, Map's `maxConcurrency`, ...) to their values;
    `variables` are the variables after the state (given and assigned).
    """

    status: str
    output: Any = None
    has_output: bool = False
    error: str | None = None
    cause: str | None = None
    next_state: str | None = None
    stages: Mapping[str, Any] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({})
    )
    variables: Mapping[str, Any] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({})
    )
    error_details: ErrorDetails | None = None


class _InspectedRun(StateRun):
    """A `StateRun` that keeps the data of each stage it passes."""

    stages: dict[str, Any]

    def note(self, stage: str, value: Any) -> None:
        self.stages[stage] = value


class SingleState(Interpreter):
    """Evaluates `machine.states[state_name]` once (see the module docstring).

    Driven like an `Interpreter` (`runtime.driver.drive`): `run()` yields the
    effects the state asks for and returns an `Outcome`; the full answer is
    `tested` afterwards.
    """

    def __init__(
        self,
        machine: StateMachine,
        state_name: str,
        input: Any,
        info: ExecutionInfo | None = None,
        *,
        variables: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        mock: MockedResult | None = None,
        retry_count: int = 0,
    ) -> None:
        super().__init__(machine, input, info)
        self.state: State = machine.states[state_name]
        self.variables = dict(variables or {})
        self.given_context = context
        self.mock = mock
        self.retry_count = retry_count
        self.tested: StateTestOutcome | None = None

    def sleep(self, seconds: float) -> Steps:
        """A Wait's delay passes at once: TestState does not wait."""
        yield from self.tick()

    def run(self) -> Generator[Request, Any, Outcome]:
        yield from self.tick()
        tested = yield from self.evaluate()
        self.tested = tested
        output = tested.output if tested.status == SUCCEEDED else None
        return Outcome(
            tested.status, output, tested.error, tested.cause, tuple(self.history.events)
        )

    def evaluate(self) -> Generator[Request, Any, StateTestOutcome]:
        """The state, once; its outcome. Errors become FAILED, never exceptions."""
        self.start_time = now = self.history.now
        # TestState runs for at most five minutes (API_TestState), as an Express execution.
        self.deadline = now + EXPRESS_MAX_SECONDS
        self.current.strand.execution = {
            "Id": self.info.execution_arn,
            "Input": self.input,
            "Name": self.info.name,
            "RoleArn": self.info.role_arn,
            "StartTime": iso_time(now),
        }
        state, thread = self.state, Thread()
        entered_id = self.strand_history.add(
            f"{state.type_name}StateEntered", thread, entered(state.name, self.input)
        )
        language = self.machine.query_language
        run = _InspectedRun(
            self, state, self.input, self.variables, thread, language, entered_id, now
        )
        run.stages = {"input": self.input}
        if self.given_context is not None:
            run.context = dict(self.given_context)
            run.scope.context = run.context
        elif "RetryCount" in run.context["State"]:
            run.context["State"]["RetryCount"] = self.retry_count
        try:
            if isinstance(state, Task | Parallel | Map):
                return (yield from self._fallible(run, state))
            try:
                next_state, output = yield from run.simple()
            except StatesError as error:
                raise run.evaluation_failure(error) from None
            return self._ended(run, SUCCEEDED, output, next_state)
        except Failure as failure:
            return self._ended(run, FAILED, error=failure.error, cause=failure.cause)
        except TimedOut:
            return self._ended(run, FAILED, error="States.Timeout", cause=None)
        except PhalanxError as error:
            # A definition the validator would refuse: AWS refuses it before running.
            return self._ended(run, FAILED, error="States.Runtime", cause=str(error))

    def _fallible(
        self, run: _InspectedRun, state: Task | Parallel | Map
    ) -> Generator[Request, Any, StateTestOutcome]:
        """One attempt; a failure goes to the Retriers, then the Catchers, without retrying."""
        try:
            try:
                next_state, output = yield from self._attempt(run, state)
            except StatesError as error:
                raise run.evaluation_failure(error) from None
        except Failure as failure:
            return self._handled(run, failure)
        return self._ended(run, SUCCEEDED, output, next_state)

    def _attempt(self, run: _InspectedRun, state: Task | Parallel | Map) -> Steps:
        mock = self.mock
        if mock is None:
            if isinstance(state, Task):
                return (yield from task_run.run_task(run, state))
            if isinstance(state, Parallel):
                return (yield from parallel.run_parallel(run, state))
            return (yield from map_state.run_map(run, state))
        exceeded = False
        if isinstance(state, Map):
            count, percentage = map_state.mocked_map_stages(run, state)
            exceeded = _exceeds_tolerance(state, mock, count, percentage)
        else:
            run.effective_parameters()
        if mock.error is not None:
            raise Failure(mock.error, mock.cause)
        if exceeded:
            raise Failure(map_state.EXCEEDED, map_state.EXCEEDED_CAUSE)
        return run.finish_result(mock.result)

    def _handled(self, run: _InspectedRun, failure: Failure) -> StateTestOutcome:
        """RETRIABLE, CAUGHT_ERROR or FAILED: what Retry and Catch make of `failure`."""
        fields = run.fields
        error, cause = failure.error, failure.cause
        retry_index = retry.find_retrier(fields.retry, error)
        if retry_index is not None:
            retrier = fields.retry[retry_index]
            if self.retry_count < retry.max_attempts(retrier):
                # The backoff before the next attempt, without jitter (AWS gives whole seconds).
                backoff = int(retry.delay_seconds(retrier, self.retry_count))
                retrying = ErrorDetails(
                    retry_index=retry_index, retry_backoff_interval_seconds=backoff
                )
                return self._ended(run, RETRIABLE, error=error, cause=cause, details=retrying)
        catcher = retry.find_catcher(fields.catch, error)
        if catcher is None:
            spent = None if retry_index is None else ErrorDetails(retry_index=retry_index)
            return self._ended(run, FAILED, error=error, cause=cause, details=spent)
        catch_index = fields.catch.index(catcher)
        details = ErrorDetails(catch_index=catch_index, retry_index=retry_index)
        try:
            next_state, output = run.caught(catcher, failure)
        except Failure as unhandled:
            return self._ended(run, FAILED, error=unhandled.error, cause=unhandled.cause)
        return self._ended(run, CAUGHT_ERROR, output, next_state, error, cause, details)

    def _ended(
        self,
        run: _InspectedRun,
        status: str,
        output: Any = None,
        next_state: str | None = None,
        error: str | None = None,
        cause: str | None = None,
        details: ErrorDetails | None = None,
    ) -> StateTestOutcome:
        has_output = status in (SUCCEEDED, CAUGHT_ERROR)
        return StateTestOutcome(
            status,
            output,
            has_output,
            error,
            cause,
            next_state if has_output else None,
            types.MappingProxyType(_shown_stages(self.state, run.stages)),
            types.MappingProxyType(dict(self.variables)),
            details,
        )


PARALLEL_STAGES = frozenset({"input", "afterResultSelector", "afterResultPath"})
"""What TestState shows of a Parallel: not its InputPath, Parameters, Arguments or
result (recorded: test_io_parallel_state_mock_success; JSONata has neither
ResultSelector nor ResultPath, so only `input`: test_io_jsonata_parallel_state_mock_success)."""

MAP_STAGES = frozenset(
    {
        "input",
        "afterInputPath",
        "afterItemsPath",
        "afterItemSelector",
        "afterResultSelector",
        "afterResultPath",
        "maxConcurrency",
        "toleratedFailureCount",
        "toleratedFailurePercentage",
    }
)
"""What TestState shows of a Map: no `result` (recorded: test_state_map_context_object,
test_base_map_state_inspect)."""

PASS_RESULT_STAGES = frozenset({"input", "result", "afterResultSelector", "afterResultPath"})
"""A Pass with `Result` shows the Result, not InputPath or Parameters, which it
discards (recorded: test_base_inspection_level_debug, IO_RESULT_PASS_STATE)."""


SHOWN_STAGES: Mapping[type[State], frozenset[str]] = {
    Parallel: PARALLEL_STAGES,
    Map: MAP_STAGES,
}
"""The state types whose inspectionData shows only some of the stages noted."""


def _shown_stages(state: State, stages: Mapping[str, Any]) -> dict[str, Any]:
    """The stages TestState's inspectionData shows for `state`'s type."""
    shown = next((SHOWN_STAGES[cls] for cls in type(state).__mro__ if cls in SHOWN_STAGES), None)
    if isinstance(state, Pass) and state.result is not None:
        shown = PASS_RESULT_STAGES
    if shown is None:
        return dict(stages)
    return {stage: value for stage, value in stages.items() if stage in shown}


def _exceeds_tolerance(state: Map, mock: MockedResult, count: Any, percentage: Any) -> bool:
    """Do `mock.map_failures` failed iterations exceed the Map's tolerated failures?

    `count` and `percentage` are the Map's ToleratedFailureCount and
    ToleratedFailurePercentage as evaluated (None: not set). Without either,
    one failed iteration fails the Map (AWS "Map state": tolerated failure
    threshold), except that a Map with neither Retry nor Catch succeeds
    whatever the count (recorded: test_map_state_failure_count, BASE_MAP_STATE).
    """
    failures = mock.map_failures
    if failures <= 0:
        return False
    if count is None and percentage is None:
        return bool(state.retry or state.catch)
    total = len(mock.result) if isinstance(mock.result, list) else 0
    over_count = count is not None and failures > count
    over_percentage = percentage is not None and total > 0 and failures * 100 / total > percentage
    return over_count or over_percentage
