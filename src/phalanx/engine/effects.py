"""What the engine asks of the world, and what it finally returns.

The interpreter is a generator: it *yields* an effect (`Now`, `Sleep`,
`InvokeLambda`, `CallService`, `Random`, `Seed`, `Callback`) and is *sent*
the answer. It never reads a clock, sleeps or calls user code itself; the
runtime does, then resumes it.

Branches of a Parallel and iterations of a Map run at once, so several
effects can be outstanding together. The protocol:

* every effect carries `id`, stable across runs (the branch path and a
  sequence number: `"4.1/2"` is the second effect of branch 1 of whatever
  the root strand started fourth) and `state`, the state that asks;
* `Now`, `Random` and `Seed` are answered at once, with their value;
* any other effect is answered with `PENDING`: the runtime has it in hand.
  When no branch can go on, the interpreter yields `AWAIT` and is sent the
  `Answer(id, value)` of whichever outstanding effect completed first;
* `Cancel(ids)` tells the runtime that the branches waiting on `ids` were
  aborted: their answers are no longer wanted (answer: `None`).

Because every answer is plain data, the list of `(id, answer)` in the order
the interpreter took them (a journal) is all a store needs to keep:
replaying it into a fresh interpreter brings it to exactly the same point
(see `runtime/local.py`).

When the generator returns, its value is an `Outcome`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

JSON = Any


@dataclasses.dataclass(frozen=True, slots=True)
class Now:
    """Ask for the current time (epoch seconds). Answer: `float`, at once."""

    id: str = ""
    state: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Sleep:
    """Let `seconds` pass (a Wait state, a retry backoff), ending at `until`. Answer: `None`.

    `until` is the epoch instant the sleep ends: a runtime resuming an
    execution after a restart ends the Wait when it was due, not one full
    delay later.
    """

    seconds: float
    until: float = 0.0
    id: str = ""
    state: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Random:
    """Ask for a random float in [0, 1) (retry jitter). Answer: `float`, at once."""

    id: str = ""
    state: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Seed:
    """Ask for fresh entropy (64 hex digits). Answer: `str`, at once.

    Asked once per execution: States.UUID, States.MathRandom, JSONata
    `$random()`/`$uuid()` and task tokens derive from it, so a journal
    that holds it replays them exactly.
    """

    id: str = ""
    state: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class InvokeLambda:
    """Invoke a Lambda function. Answer: `LambdaResponse`.

    `function` is the FunctionName as given (name, partial or full ARN);
    `payload` is the JSON value sent as the event; `timeout` bounds the call
    in seconds (the state's TimeoutSeconds, else the function's own).
    """

    state: str
    function: str
    payload: JSON
    timeout: float | None = None
    heartbeat: float | None = None
    id: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class LambdaResponse:
    """How an invocation ended, as the Lambda Invoke API reports it.

    `payload` is the response text. `function_error` is set ("Unhandled")
    when the function raised: then `payload` is the error document.
    `timed_out` means the call outlived `timeout`. `not_found` means no such
    function (Lambda's ResourceNotFoundException). `error`/`cause` report a
    failure as is (a mocked `Throw`). `invoke_result` is a whole `lambda:invoke`
    result as recorded (a replayed history): the task's result as is, instead
    of a response built around `payload`.
    """

    payload: str = "null"
    function_error: str | None = None
    timed_out: bool = False
    not_found: bool = False
    request_id: str = "00000000-0000-0000-0000-000000000000"
    executed_version: str = "$LATEST"
    error: str | None = None
    cause: str | None = None
    invoke_result: JSON = None


@dataclasses.dataclass(frozen=True, slots=True)
class CallService:
    """Call an AWS service integration other than Lambda. Answer: `ServiceResponse`.

    `timeout` and `heartbeat` are the state's limits, as for `InvokeLambda`.
    """

    state: str
    resource: str
    parameters: JSON
    timeout: float | None = None
    heartbeat: float | None = None
    id: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class ServiceResponse:
    """A service integration's result: `output`, or `error`/`cause` when it failed."""

    output: JSON = None
    error: str | None = None
    cause: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Callback:
    """Wait for someone else: a task token (`.waitForTaskToken`) or an activity worker.

    `token` is the task token the answer must name (`$$.Task.Token`);
    `activity` is the activity ARN for an Activity task, else None (then
    `resource` is the integration and `parameters` what it was sent). The
    runtime answers with a `CallbackResponse` when the task succeeds, fails,
    or stops heartbeating; the interpreter enforces `timeout`/`heartbeat`
    itself with its own Sleeps.
    """

    state: str
    token: str
    resource: str
    parameters: JSON
    activity: str | None = None
    timeout: float | None = None
    heartbeat: float | None = None
    id: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class CallbackResponse:
    """SendTaskSuccess (`output`), SendTaskFailure (`error`, `cause`) or SendTaskHeartbeat.

    `heartbeat=True` is a heartbeat: the task is still running. `worker` is
    the activity worker's name (GetActivityTask `workerName`), shown in
    ActivityStarted; `started` says the worker took the task (activities).
    """

    output: JSON = None
    error: str | None = None
    cause: str | None = None
    heartbeat: bool = False
    started: bool = False
    worker: str | None = None


Effect = Now | Sleep | Random | Seed | InvokeLambda | CallService | Callback

IMMEDIATE = (Now, Random, Seed)
"""Effects answered at once; every other effect is answered `PENDING`, then by `Answer`."""


class _Pending:
    __slots__ = ()

    def __repr__(self) -> str:
        return "PENDING"


PENDING: Any = _Pending()
"""The runtime's answer to a deferred effect: it will come as an `Answer` after `AWAIT`."""


@dataclasses.dataclass(frozen=True, slots=True)
class Await:
    """No branch can go on: send the `Answer` of one outstanding effect."""


AWAIT = Await()


@dataclasses.dataclass(frozen=True, slots=True)
class Answer:
    """The answer to the outstanding effect `id`."""

    id: str
    value: Any


@dataclasses.dataclass(frozen=True, slots=True)
class Cancel:
    """The branches waiting on `ids` were aborted: drop those effects. Answer: `None`."""

    ids: tuple[str, ...]


Request = Effect | Await | Cancel
"""Everything `Interpreter.run()` yields."""


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """How an execution ended.

    `status` is SUCCEEDED, FAILED, TIMED_OUT or ABORTED; `output` is the
    JSON value (SUCCEEDED only); `history` the events as GetExecutionHistory
    returns them (dicts with `timestamp` as epoch seconds).
    """

    status: str
    output: JSON = None
    error: str | None = None
    cause: str | None = None
    history: tuple[dict[str, JSON], ...] = ()
