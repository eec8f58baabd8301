"""What the engine asks of the world, and what it finally returns.

The interpreter is a generator: it *yields* an effect (`Now`, `Sleep`,
`InvokeLambda`, `CallService`, `Random`) and is *sent* the answer. It never
reads a clock, sleeps or calls user code itself; the runtime does, then
resumes it. Because every answer is plain data, the sequence of answers (a
`journal`) is all a store needs to keep: replaying the journal into a fresh
interpreter brings it to exactly the same point (see `runtime/local.py`).

When the generator returns, its value is an `Outcome`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

JSON = Any


@dataclasses.dataclass(frozen=True, slots=True)
class Now:
    """Ask for the current time (epoch seconds). Answer: `float`."""


@dataclasses.dataclass(frozen=True, slots=True)
class Sleep:
    """Let `seconds` pass (a Wait state, a retry backoff). Answer: `None`."""

    seconds: float


@dataclasses.dataclass(frozen=True, slots=True)
class Random:
    """Ask for a random float in [0, 1) (retry jitter). Answer: `float`."""


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


@dataclasses.dataclass(frozen=True, slots=True)
class LambdaResponse:
    """How an invocation ended, as the Lambda Invoke API reports it.

    `payload` is the response text. `function_error` is set ("Unhandled")
    when the function raised: then `payload` is the error document.
    `timed_out` means the call outlived `timeout`. `not_found` means no such
    function (Lambda's ResourceNotFoundException). `error`/`cause` report a
    failure as is (a mocked `Throw`).
    """

    payload: str = "null"
    function_error: str | None = None
    timed_out: bool = False
    not_found: bool = False
    request_id: str = "00000000-0000-0000-0000-000000000000"
    executed_version: str = "$LATEST"
    error: str | None = None
    cause: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class CallService:
    """Call an AWS service integration other than Lambda. Answer: `ServiceResponse`."""

    state: str
    resource: str
    parameters: JSON


@dataclasses.dataclass(frozen=True, slots=True)
class ServiceResponse:
    """A service integration's result: `output`, or `error`/`cause` when it failed."""

    output: JSON = None
    error: str | None = None
    cause: str | None = None


Effect = Now | Sleep | Random | InvokeLambda | CallService


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
