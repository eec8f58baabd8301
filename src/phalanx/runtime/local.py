"""The in-process runner: drive the pure interpreter with a clock and invokers.

    execution = run(machine, {"x": 1}, functions={"roll": roll}, fast=True)
    execution.status, execution.output, execution.history

`drive` (`runtime/driver.py`) is the whole protocol between engine and
runtime: answer each effect, several at once, and journal the answers;
`drive(..., replay=journal)` feeds recorded answers first, so an execution
persisted as (machine, input, journal) resumes exactly where it stopped.
"""

from __future__ import annotations

import dataclasses
import random
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from phalanx.asl import StateMachine
from phalanx.engine.effects import CallService, ServiceResponse
from phalanx.engine.history import MAX_EVENTS, to_text
from phalanx.engine.interpreter import ExecutionInfo, Interpreter
from phalanx.engine.task import MAX_PAYLOAD_BYTES, parse_resource
from phalanx.errors import DefinitionError, InvalidMachineError
from phalanx.functions import LambdaFunction
from phalanx.runtime.clock import Clock, RealClock, VirtualClock, epoch_seconds
from phalanx.runtime.driver import (
    CallbackHandler,
    ServiceHandler,
    advance,
    drive,
    unanswered_callback,
    unmocked_service,
)
from phalanx.runtime.lambdas import FunctionInvoker, Invoker
from phalanx.runtime.mocks import Mocks, StateMocks
from phalanx.runtime.recorder import Recorded, publish

__all__ = ["Execution", "advance", "drive", "local_objects", "run", "unmocked_service"]


def local_objects(root: str | Path, fallback: ServiceHandler = unmocked_service) -> ServiceHandler:
    """Serve `s3:getObject` from files: `Bucket`/`Key` is `root/Bucket/Key`.

    This is how a distributed Map's ItemReader reads local JSON or CSV items.
    """
    base = Path(root)

    def handler(request: CallService) -> ServiceResponse:
        parameters = request.parameters if isinstance(request.parameters, dict) else {}
        if not request.resource.endswith("s3:getObject"):
            return fallback(request)
        path = base / str(parameters.get("Bucket", "")) / str(parameters.get("Key", ""))
        try:
            return ServiceResponse(output=path.read_text(encoding="utf-8"))
        except OSError as error:
            return ServiceResponse(error="S3.NoSuchKey", cause=f"{path}: {error}")

    return handler


@dataclasses.dataclass(frozen=True)
class Execution:
    """A finished local execution, shaped like DescribeExecution + GetExecutionHistory."""

    status: str
    output: Any
    error: str | None
    cause: str | None
    history: tuple[dict[str, Any], ...]
    name: str = ""
    machine: StateMachine | None = dataclasses.field(default=None, compare=False, repr=False)
    children: tuple[Execution, ...] = ()
    """Child executions this one started (`states:startExecution` of a machine the run
    knows), in the order they started; each has its own history and children."""

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"

    @property
    def states_entered(self) -> list[str]:
        """Names of the states entered, in order: the path the execution took."""
        return [
            event["stateEnteredEventDetails"]["name"]
            for event in self.history
            if event["type"].endswith("StateEntered") and "stateEnteredEventDetails" in event
        ]

    def _repr_svg_(self) -> str | None:
        """The path taken, drawn on the machine's graph (Jupyter shows it)."""
        from phalanx.graph import notebook_svg

        return None if self.machine is None else notebook_svg(self.machine, self.history)

    def to_dict(self) -> dict[str, Any]:
        """`{"status", "output", "error", "cause", "history"}` (the CLI's JSON format)."""
        return {
            "status": self.status,
            "output": self.output,
            "error": self.error,
            "cause": self.cause,
            "history": list(self.history),
        }


def check_input(value: Any) -> str:
    """The execution input's JSON text; `DefinitionError` when it is not JSON.

    StartExecution refuses input that is not JSON text (InvalidExecutionInput):
    NaN and Infinity are not JSON numbers, and a lone surrogate cannot be
    encoded as UTF-8. Python's `json` would let the first through, and the
    failure would come later, from deep inside the run.
    """
    try:
        text = to_text(value)
        text.encode("utf-8")
    except (TypeError, ValueError) as error:
        raise DefinitionError(
            "", f"InvalidExecutionInput: the execution input is not JSON ({error})"
        ) from None
    size = len(text.encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        # StartExecution's input: "Maximum length of 262144" (API reference);
        # the execution is refused, it does not start and fail.
        raise DefinitionError(
            "",
            f"InvalidExecutionInput: the execution input is {size} bytes, "
            f"over the {MAX_PAYLOAD_BYTES}-byte limit",
        )
    return text


_NAME_FORBIDDEN = re.compile(r'[\s<>{}\[\]?*"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]')


def check_name(name: str) -> None:
    """`DefinitionError` for an execution name StartExecution refuses (InvalidName).

    1 to 80 characters; no whitespace, `< > { } [ ]`, `? *`,
    `" # % \\ ^ | ~ \\` $ & , ; : /` or control characters (API reference,
    StartExecution `name`).
    """
    bad = _NAME_FORBIDDEN.search(name)
    if not 1 <= len(name) <= 80 or bad is not None:
        reason = f"contains {bad.group()!r}" if bad is not None else "must be 1 to 80 characters"
        raise DefinitionError("", f"InvalidName: the execution name {name[:90]!r} {reason}")


def check_machine_type(machine: StateMachine, machine_type: str) -> None:
    """`DefinitionError` for what CreateStateMachine refuses in an Express machine.

    "Express Workflows support Request Response, but they do not support Run a
    Job (.sync) or Wait for Callback (.waitForTaskToken)" (AWS, service
    integration patterns).
    """
    if machine_type != "EXPRESS":
        return
    for location, state in machine.walk():
        resource = getattr(state, "resource", None)
        if not isinstance(resource, str):
            continue
        pattern = parse_resource(resource).pattern
        if pattern is not None and (pattern.startswith("sync") or pattern == "waitForTaskToken"):
            raise DefinitionError(
                f"{location}/Resource",
                f"Express state machines do not support .{pattern} resources: {resource}",
            )


def refuse_invalid(machine: StateMachine, machine_type: str) -> None:
    """`InvalidMachineError` with the validator's errors when AWS would refuse `machine`."""
    from phalanx.validation import validate

    result = validate(machine, machine_type=machine_type)
    if not result.ok:
        raise InvalidMachineError(result.errors)


def collect_functions(
    machine: StateMachine,
    functions: Mapping[str, LambdaFunction | Callable[[Any, Any], Any]]
    | Sequence[LambdaFunction]
    | None,
) -> dict[str, LambdaFunction | Callable[[Any, Any], Any]]:
    """Functions by name: those given, plus every `phalanx.function` used as a resource."""
    table: dict[str, LambdaFunction | Callable[[Any, Any], Any]] = {}
    for _, state in machine.walk():
        resource = getattr(state, "resource", None)
        if isinstance(resource, LambdaFunction):
            table[resource.name] = resource
    if isinstance(functions, Mapping):
        table.update(functions)
    elif functions is not None:
        for function in functions:
            table[function.name] = function
    return table


def run(
    machine: StateMachine | Mapping[str, Any] | str,
    input: Any = None,
    *,
    functions: Mapping[str, LambdaFunction | Callable[[Any, Any], Any]]
    | Sequence[LambdaFunction]
    | None = None,
    fast: bool = False,
    clock: Clock | None = None,
    invoker: Invoker | None = None,
    services: ServiceHandler | None = None,
    name: str | None = None,
    machine_type: str | None = None,
    include_execution_data: bool = True,
    seed: int | None = None,
    mocks: Mocks | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    max_events: int = MAX_EVENTS,
    items_root: str | Path | None = None,
    input_text: str | None = None,
    start_time: datetime | str | None = None,
    validate: bool = True,
    callbacks: CallbackHandler | None = None,
    trace: Callable[[dict[str, Any], str], None] | None = None,
    machines: Mapping[str, StateMachine] | None = None,
    aws: Any = None,
    endpoint_url: str | None = None,
    http: bool = False,
    on_call: Callable[[Any], None] | None = None,
    task_tokens: Any = None,
) -> Execution:
    """Run `machine` on `input` in this process and return the finished execution.

    `fast=True` uses a virtual clock: waits, backoffs and timeouts pass
    instantly. It starts at the current time; `start_time` (a datetime or
    ISO 8601 text, UTC when it has no zone) fixes it, so `$$.Execution.StartTime`
    and every timestamp are the same from run to run. `functions` registers
    Lambda handlers by name (for ARN resources); `phalanx.function`s used
    directly as resources need no registration. `services` answers non-Lambda
    integrations; `mocks` (by state name, see `phalanx.testing`) answer the
    tasks of the states they name, per call. `on_event` sees each history
    event as it happens; `trace` sees it with the label of its branch or
    iteration (`"Fulfil[1] "`, `""` at the top level; `runtime.trace.TextTrace`
    renders them).
    `machine_type` (STANDARD or EXPRESS) defaults to the machine's declared
    `type`, else STANDARD. `input_text` is the input as the caller wrote it
    (shown in ExecutionStarted).
    `callbacks` answers `.waitForTaskToken` tasks and activities that no mock
    answers: called with the `Callback` (its token, activity, parameters), it
    returns a `CallbackResponse` (output, or error and cause), or None when
    nobody answers (the task's TimeoutSeconds or HeartbeatSeconds then fail it).
    Input that is not JSON (NaN, Infinity, a set, a lone surrogate) raises
    `phalanx.errors.DefinitionError` before anything runs, as StartExecution
    refuses it. `items_root` serves a distributed Map's ItemReader (`s3:getObject` of
    `Bucket`/`Key` reads `items_root/Bucket/Key`). `max_events` is AWS's
    25,000-event history limit (raise it only to
    measure, as bench/engine_bench.py does).

    Other integrations (`docs/services.md`): `machines` (by name) are the
    machines a `states:startExecution` task may start as child executions
    in this process (`Execution.children`); `aws` (a `boto3.Session`, or
    True for boto3's default session) lets every other integration call AWS
    through boto3, or the emulator at `endpoint_url`; `http=True` lets
    `http:invoke` tasks call their endpoints. `on_call` sees a
    `phalanx.services.CallRecord` per call made (service, action, seconds).
    `task_tokens` (a `phalanx.services.TaskTokens`) receives SendTaskSuccess/
    Failure from elsewhere (a test, a child machine); passing one as
    `callbacks` makes the run wait on it. Mocks win over all of these.

    The machine is validated first, as CreateStateMachine would:
    `phalanx.errors.InvalidMachineError` carries the validator's diagnostics
    and nothing runs. `validate=False` runs it anyway (to see how an invalid
    machine fails).
    """
    if not isinstance(machine, StateMachine):
        machine = StateMachine.from_asl(machine)
    if input is None:
        input = {}
    check_input(input)
    machine_type = machine_type or machine.type or "STANDARD"
    if validate:
        refuse_invalid(machine, machine_type)
    check_machine_type(machine, machine_type)
    if start_time is not None:
        if clock is not None or not fast:
            raise ValueError("start_time sets the virtual clock: give it with fast=True, no clock")
        clock = VirtualClock(epoch_seconds(start_time))
    if clock is None:
        clock = VirtualClock() if fast else RealClock()
    connection = None
    if aws is not None or endpoint_url is not None:
        from phalanx.services.clients import Connection, connect

        connection = (
            aws
            if isinstance(aws, Connection)
            else connect(None if aws in (None, True) else aws, endpoint_url=endpoint_url)
        )
    if invoker is None:
        invoker = FunctionInvoker(collect_functions(machine, functions), clock)
        if connection is not None:
            from phalanx.services.lambdas import AwsFallbackInvoker

            invoker = AwsFallbackInvoker(invoker, connection)
    rng = random.Random(seed)
    if name:
        check_name(name)
    execution_name = name or (
        str(uuid.UUID(int=rng.getrandbits(128))) if seed is not None else str(uuid.uuid4())
    )
    info = ExecutionInfo(
        name=execution_name,
        state_machine_name=machine.name or "local-machine",
        machine_type=machine_type,
    )
    interpreter = Interpreter(
        machine,
        input,
        info,
        include_data=include_execution_data,
        max_events=max_events,
        input_text=input_text,
    )
    service_handler = services or unmocked_service
    callback_handler = callbacks or unanswered_callback
    children: Any = None
    if machines or connection is not None or http or task_tokens is not None:
        from phalanx.services import wiring

        service_handler, callback_handler, children = wiring.integrations(
            wiring.Options(
                connection,
                clock,
                dict(machines or {}),
                http,
                on_call,
                task_tokens,
                fallback=services,
                callbacks=callbacks,
            ),
            lambda child, request, options: run(
                child,
                request.input,
                functions=functions,
                clock=clock,
                invoker=invoker,
                services=services,
                name=request.name,
                validate=validate,
                callbacks=callbacks,
                machines=options.machines,
                aws=options.connection,
                http=options.http,
                on_call=options.on_call,
                task_tokens=options.tokens,
            ),
            info.region,
            info.account,
        )
    if items_root is not None:
        service_handler = local_objects(items_root, service_handler)
    outcome = drive(
        interpreter,
        clock,
        invoker,
        service_handler,
        rng,
        mocks=StateMocks(mocks, machine) if mocks is not None else None,
        on_event=on_event,
        callbacks=callback_handler,
        trace=trace,
    )
    publish(lambda: Recorded(machine, outcome.status, outcome.history, tuple(interpreter.trail)))
    return Execution(
        outcome.status,
        outcome.output,
        outcome.error,
        outcome.cause,
        outcome.history,
        execution_name,
        machine,
        tuple(children.executions) if children is not None else (),
    )
