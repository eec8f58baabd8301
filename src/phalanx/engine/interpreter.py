"""Step an execution: the semantics of every state, free of clocks and threads.

`Interpreter.run()` is a generator. It yields effects (`effects.py`) and is
sent their answers; it returns an `Outcome`. Nothing here sleeps, reads the
time, or calls user code: the runtime does that and feeds the answers back.
Everything the interpreter knows between two effects follows from the
machine, the input and the answers so far, so the list of answers is the
execution's durable state (`runtime/local.py` replays it to resume).

Map and Parallel run their branches at once (`scheduler.py`): every effect
carries a stable id, several can be outstanding, and the order in which
answers arrive decides how the branches' events interleave.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import random
import uuid
from collections.abc import Generator, Mapping
from typing import Any

from phalanx.asl import Map, Parallel, State, StateMachine, Task
from phalanx.engine import map as map_state
from phalanx.engine import parallel, task_run
from phalanx.engine.effects import (
    AWAIT,
    PENDING,
    Answer,
    Cancel,
    Now,
    Outcome,
    Random,
    Request,
    Seed,
    Sleep,
)
from phalanx.engine.failures import EventLimit, Failure, TimedOut
from phalanx.engine.history import MAX_EVENTS, History, Thread, entered, error_details
from phalanx.engine.history import to_text as _to_text
from phalanx.engine.run import StateRun, Steps, iso_time, size_of
from phalanx.engine.scheduler import BranchAborted, Current, Strand
from phalanx.engine.task import LOCAL_ACCOUNT, LOCAL_REGION, MAX_PAYLOAD_BYTES
from phalanx.engine.trail import ENTERED, Taken
from phalanx.errors import DefinitionError, PhalanxError, StatesError
from phalanx.query.intrinsics import Sources

EXPRESS_MAX_SECONDS = 300
"""The longest an Express execution may run."""


@dataclasses.dataclass(frozen=True, slots=True)
class ExecutionInfo:
    """Names and ARNs of one execution, as the context object shows them."""

    name: str = "local-execution"
    state_machine_name: str = "local-machine"
    role_arn: str = f"arn:aws:iam::{LOCAL_ACCOUNT}:role/phalanx-local"
    region: str = LOCAL_REGION
    account: str = LOCAL_ACCOUNT
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
        self.history = History(include_data, max_events=max_events)
        # JSONata's $now()/$millis() read the execution's clock, so virtual time and
        # replays see the same instant the history records.
        self._given_sources = sources
        now = self._history_now
        self.sources = (
            Sources(now=now) if sources is None else dataclasses.replace(sources, now=now)
        )
        self.max_events = max_events
        self.deadline: float | None = None
        self._timeout: float | None = None
        self.start_time = 0.0
        self._seed = b""
        self.current = Current(Strand("", self.history, {}))
        self.trail: list[Taken] = []
        """States entered, Choice rules, Retriers and Catchers taken, in order (coverage)."""
        self._top: Thread | None = None
        self.unsuccessful: tuple[str, Any, dict[str, Any]] | None = None
        """The top-level state last entered, its input and variables: where a redrive restarts."""
        self._branch_outputs: dict[str, dict[int, Any]] = {}
        """Outputs of the branches (iterations) that succeeded in the last run of each Parallel
        (inline Map) inside the running top-level state, by `branch_key`: a redrive keeps them."""
        self._redriving: dict[str, dict[int, Any]] = {}
        """Those of the previous attempt, while a redrive reruns its top-level state."""
        self.started_events: dict[str, int] = {}
        """Call effect id -> the id of the `...Started` event it follows (a restart copies it)."""

    def _history_now(self) -> float:
        return self.history.now

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
        strand = self.current.strand
        self.history.now = yield Now(strand.next_id(), strand.state)

    def ask(self, effect: Any) -> Steps:
        """Yield a deferred effect (it has an `id`) and return its answer, however it comes."""
        answer = yield effect
        if answer is PENDING:
            answer = yield AWAIT
            assert isinstance(answer, Answer) and answer.id == effect.id, (answer, effect)
            return answer.value
        return answer

    def first_of(self, effects: list[Any]) -> Steps:
        """Yield several deferred effects; returns `(index, answer)` of the first answered.

        The others are cancelled: a callback raced against its timeouts.
        """
        pending: dict[str, int] = {}
        for index, effect in enumerate(effects):
            answer = yield effect
            if answer is not PENDING:
                ids = tuple(e.id for e in effects[:index])
                if ids:
                    yield Cancel(ids)
                return index, answer
            pending[effect.id] = index
        answer = yield AWAIT
        assert isinstance(answer, Answer) and answer.id in pending, answer
        index = pending.pop(answer.id)
        if pending:
            yield Cancel(tuple(pending))
        return index, answer.value

    def note_started(self, effect_id: str, thread: Thread) -> None:
        """The call `effect_id` follows its thread's last event (its `...Started` event).

        After a crash the runtime shows the call starting again with a copy of
        that event: in a Parallel or Map, the one of the call's own branch.
        A distributed Map child's events are in a history of their own: none.
        """
        if self.strand_history is self.history:
            self.started_events[effect_id] = thread.last

    def random(self) -> Steps:
        """A random float in [0, 1) from the runtime (retry jitter)."""
        strand = self.current.strand
        fraction: float = yield Random(strand.next_id(), strand.state)
        return fraction

    def sleep_effect(self, seconds: float) -> Sleep:
        strand = self.current.strand
        now = self.history.now
        return Sleep(seconds, now + seconds, strand.next_id(), strand.state)

    def sleep(self, seconds: float) -> Steps:
        """Let `seconds` pass, unless the execution times out first."""
        if seconds > 0:
            now = self.history.now
            if self.deadline is not None and now + seconds >= self.deadline:
                yield from self.ask(self.sleep_effect(max(0.0, self.deadline - now)))
                yield from self.tick()
                raise TimedOut()
            yield from self.ask(self.sleep_effect(seconds))
        yield from self.tick()

    def token(self, salt: str) -> str:
        """An unguessable task token, the same on replay (it derives from the journaled seed)."""
        digest = hashlib.blake2b(salt.encode("utf-8"), key=self._seed, digest_size=48).digest()
        return "AQ" + base64.b64encode(digest).decode("ascii")

    def remaining(self) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.history.now)

    def check_deadline(self) -> None:
        if self.deadline is not None and self.history.now >= self.deadline:
            raise TimedOut()

    # -- the execution ----------------------------------------------------

    def run(self) -> Generator[Request, Any, Outcome]:
        yield from self.tick()
        seed = yield Seed(self.current.strand.next_id())
        self._seed = bytes.fromhex(seed)
        if self._given_sources is None:
            # Intrinsics' and JSONata's randomness follows the journaled seed.
            rng = random.Random(self._seed)
            self.sources = Sources(
                rng=rng,
                new_uuid=lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                now=self._history_now,
            )
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
        self._timeout = timeout
        execution: dict[str, Any] = {
            "Id": self.info.execution_arn,
            "Input": self.input,
            "StartTime": iso_time(self.start_time),
            "Name": self.info.name,
            "RoleArn": self.info.role_arn,
        }
        if self.info.machine_type != "EXPRESS":
            # Express executions cannot be redriven: no RedriveCount (corpus express/).
            execution["RedriveCount"] = 0
        self.current.strand.execution = execution
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
        top = self._top = Thread()
        states, language = self.machine.states, self.machine.query_language
        branch = self.run_branch(states, self.machine.start_at, self.input, {}, top, language)
        return (yield from self._finish(branch, top))

    def stopped(self, error: str | None, cause: str | None, now: float) -> None:
        """StopExecution ended the run at `now` (its generator is closed): `ExecutionAborted`.

        The runtime writes that event itself when it stops an execution; a
        replay calls this where the journal says so, so that a redrive goes on
        from the same history.
        """
        self.history.now = now
        self.history.close(
            "ExecutionAborted",
            self._top or Thread(),
            error_details(error, cause),
            previous=len(self.history.events),  # as the runtime writes it: the last event
        )

    def redrive(self, count: int, now: float) -> Generator[Request, Any, Outcome]:
        """Run a FAILED, TIMED_OUT or ABORTED execution again from its unsuccessful state.

        Called on the same interpreter once `run()` (or an earlier redrive) has
        ended, or was stopped (`stopped`): the history goes on with
        `ExecutionRedriven`, and the top-level state that failed or was running
        runs again on the input and variables it had. A Parallel or inline Map
        in it (at any depth) reruns only its branches or iterations that did
        not succeed (`kept_branches`).
        """
        if self.unsuccessful is None or self._top is None:
            raise PhalanxError("the execution failed outside any state: it cannot be redriven")
        name, value, variables = self.unsuccessful
        self._redriving = {
            key: outputs
            for key, outputs in self._branch_outputs.items()
            if key == name or key.startswith(f"{name}[")
        }
        self.history.now = now
        self.current.strand.execution["RedriveCount"] = count
        if self._timeout is not None:  # TimeoutSeconds counts again from the redrive
            self.deadline = now + self._timeout
        top = self._top
        self.history.reopen()
        self.history.add("ExecutionRedriven", top, {"redriveCount": count})
        states, language = self.machine.states, self.machine.query_language
        branch = self.run_branch(states, name, value, dict(variables), top, language)
        return (yield from self._finish(branch, top))

    def _finish(self, branch: Steps, top: Thread) -> Generator[Request, Any, Outcome]:
        """Run the top-level `branch` and close the history with how it ended."""
        history = self.history
        try:
            output = yield from branch
        except Failure as failure:
            history.close("ExecutionFailed", top, error_details(failure.error, failure.cause))
            return self._outcome("FAILED", None, failure.error, failure.cause)
        except TimedOut:
            history.close("ExecutionTimedOut", top, {})
            return self._outcome("TIMED_OUT", None, None, None)
        except StatesError as error:
            # An evaluation error outside any state (cannot normally happen).
            history.close("ExecutionFailed", top, error_details(error.error, error.cause))
            return self._outcome("FAILED", None, error.error, error.cause)
        except PhalanxError as error:
            # A definition the validator would refuse (a path that does not
            # parse, ...): AWS refuses it at creation; locally it fails the run.
            cause = f"Invalid definition: {error}"
            history.close("ExecutionFailed", top, error_details("States.Runtime", cause))
            return self._outcome("FAILED", None, "States.Runtime", cause)
        except EventLimit:
            cause = (
                f"The execution reached the maximum number of history events ({self.max_events})."
            )
            history.close("ExecutionFailed", top, error_details("States.Runtime", cause))
            return self._outcome("FAILED", None, "States.Runtime", cause)
        history.close(
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
            if thread is self._top:
                self.unsuccessful = (name, value, dict(variables))
            name, value = yield from self.run_state(state, value, variables, thread, language)
            if thread is self._top:  # it succeeded: a redrive will not rerun its branches
                self._branch_outputs.clear()
                self._redriving.clear()
        return value

    def kept_branches(self, run: StateRun) -> tuple[dict[int, Any], dict[int, Any]]:
        """The outputs a Parallel or inline Map keeps, and where to note those that succeed.

        Returns `(kept, succeeded)`: `kept` are the branch (iteration) outputs
        of this state's previous attempt when a redrive reruns it (AWS
        RedriveExecution: "reschedules and redrives only the iterations and
        branches that failed or aborted"), else empty; `succeeded` starts as a
        copy of them, and the state adds each branch that succeeds now.
        """
        key = f"{run.thread.label}{run.state.name}"
        kept = self._redriving.pop(key, {})
        succeeded = self._branch_outputs[key] = dict(kept)
        return kept, succeeded

    # -- one state --------------------------------------------------------

    def context(self, state: State, entered_time: float, retry_count: int | None) -> dict[str, Any]:
        state_context: dict[str, Any] = {"Name": state.name, "EnteredTime": iso_time(entered_time)}
        if retry_count is not None:
            state_context["RetryCount"] = retry_count
        return {
            "Execution": self.current.strand.execution,
            "StateMachine": {
                "Id": self.info.state_machine_arn,
                "Name": self.info.state_machine_name,
            },
            "State": state_context,
        }

    @property
    def strand_history(self) -> History:
        """The history the running strand writes to: the execution's, or a distributed
        Map child's. Past `max_events` - 1 events, adding raises `EventLimit`."""
        return self.current.strand.history

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
        self.current.strand.state = state.name
        type_name = state.type_name
        input_text = self.text(raw_input)
        self.trail.append(Taken(state.name, ENTERED))
        entered_previous = thread.last
        entered_id = self.strand_history.add(
            f"{type_name}StateEntered", thread, entered(state.name, raw_input, input_text)
        )
        run = StateRun(
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
                result = yield from run.fallible(functools.partial(_attempt, run, state))
            else:
                result = yield from run.simple()
        except StatesError as error:
            raise run.evaluation_failure(error) from None
        except BranchAborted:
            # Another branch failed: a state still running is aborted, as AWS
            # writes it (TaskStateAborted, WaitStateAborted, ...).
            if type_name in _ABORTABLE:
                self.strand_history.add(f"{type_name}StateAborted", thread)
            raise
        return result


_ABORTABLE = frozenset({"Task", "Wait", "Parallel", "Map"})
"""State types with an `...StateAborted` event (HistoryEventType)."""


def _attempt(run: StateRun, state: Task | Parallel | Map) -> Steps:
    """One attempt at a Task, Parallel or Map state; `StateRun.fallible` retries it."""
    if isinstance(state, Task):
        return task_run.run_task(run, state)
    if isinstance(state, Parallel):
        return parallel.run_parallel(run, state)
    return map_state.run_map(run, state)
