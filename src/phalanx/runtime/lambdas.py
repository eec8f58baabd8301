"""The Lambda invoker seam: one method, `invoke(request) -> LambdaResponse`.

* `FunctionInvoker` runs Python handlers in-process, as AWS Lambda's Python
  runtime would: the event is JSON-decoded, an exception becomes a function
  error whose payload is `{"errorMessage", "errorType", "requestId",
  "stackTrace"}`, a result that is not JSON becomes `Runtime.MarshalError`,
  `bytes` are returned as the raw payload.

Handlers run in a daemon thread, joined with the timeout as a real-time
backstop: a handler stuck in `while True:` is abandoned when its timeout
passes, as Lambda abandons a timed-out sandbox. The abandoned thread cannot
be killed: it leaks until it returns or the process exits. On a
`VirtualClock` the time a handler spends is its virtual time (via
`phalanx.runtime.clock.sleep`) plus its real elapsed time; on the real clock,
its real time. Either way it is compared with the timeout: the state's
`TimeoutSeconds` (`States.Timeout`) or the function's own (`Sandbox.Timedout`;
a plain callable has Lambda's maximum, 900 s).

`sys.exit()` in a handler is `Runtime.ExitError`, as Lambda's Python runtime
reports a runtime process that exited; `KeyboardInterrupt` propagates (the
user pressed Ctrl-C). What a handler prints goes to stderr, not stdout: on AWS
it goes to CloudWatch Logs, never into the execution's output, so stdout keeps
only what the caller prints (`phalanx run --format json`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import queue
import sys
import threading
import time
import traceback
import uuid
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from phalanx.asl.resources import parse_function_name
from phalanx.engine.effects import InvokeLambda, LambdaResponse
from phalanx.engine.task import function_arn
from phalanx.functions import LambdaFunction
from phalanx.runtime.clock import Clock, RealClock, VirtualClock, using


class Invoker(Protocol):
    def invoke(self, request: InvokeLambda) -> LambdaResponse: ...


def function_name(function: str) -> str:
    """`name` from a name, `arn:...:function:name[:qualifier]` or `account:function:name`."""
    return parse_function_name(function).name


MAX_FUNCTION_TIMEOUT = 900
"""Lambda's maximum function timeout: the limit of a plain callable handler."""


@dataclasses.dataclass(frozen=True, slots=True)
class LambdaContext:
    """The `context` argument a handler receives, as Lambda's Python runtime gives it.

    Fields of https://docs.aws.amazon.com/lambda/latest/dg/python-context.html;
    `get_remaining_time_in_millis()` counts down from the function's timeout.
    """

    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 128
    invoked_function_arn: str = ""
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = ""
    identity: Any = None
    client_context: Any = None
    remaining_seconds: Callable[[], float] | None = dataclasses.field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self.invoked_function_arn:
            arn = function_arn(self.function_name)
            object.__setattr__(self, "invoked_function_arn", arn)
        if not self.log_group_name:
            object.__setattr__(self, "log_group_name", f"/aws/lambda/{self.function_name}")

    def get_remaining_time_in_millis(self) -> int:
        if self.remaining_seconds is None:
            return 0
        return max(0, int(self.remaining_seconds() * 1000))


class _Elapsed:
    """Time a handler has spent: real time, plus virtual time on a `VirtualClock`."""

    def __init__(self, clock: Clock, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.virtual = isinstance(clock, VirtualClock)
        self.clock_start = clock.now()
        self.monotonic = monotonic
        self.real_start = monotonic()

    def seconds(self) -> float:
        real = self.monotonic() - self.real_start
        if self.virtual:
            return real + (self.clock.now() - self.clock_start)
        return real


_handler_thread = threading.local()


class _RoutedStdout:
    """`sys.stdout` while handlers run: what handler threads write goes to stderr."""

    def __init__(self, stdout: Any) -> None:
        self._stdout = stdout

    def _target(self) -> Any:
        return sys.stderr if getattr(_handler_thread, "active", False) else self._stdout

    def write(self, text: str) -> int:
        return int(self._target().write(text))

    def flush(self) -> None:
        self._target().flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stdout, name)


_routing_lock = threading.Lock()
_routing: dict[str, Any] = {"calls": 0, "router": None, "abandoned": False}


@contextlib.contextmanager
def _handler_output(running: Callable[[], bool]) -> Iterator[None]:
    """Route the handler threads' prints to stderr while any handler runs.

    Calls may run at once (Parallel branches): the last one to finish puts
    `sys.stdout` back. When a handler is abandoned after its timeout
    (`running()` still true) the router stays installed: it is transparent
    for every other thread.
    """
    with _routing_lock:
        _routing["calls"] += 1
        if not isinstance(sys.stdout, _RoutedStdout):
            _routing["router"] = _RoutedStdout(sys.stdout)
            sys.stdout = _routing["router"]
    try:
        yield
    finally:
        with _routing_lock:
            _routing["calls"] -= 1
            _routing["abandoned"] = _routing["abandoned"] or running()
            router = _routing["router"]
            if (
                _routing["calls"] == 0
                and not _routing["abandoned"]
                and router is not None
                and sys.stdout is router
            ):
                sys.stdout = router._stdout
                _routing["router"] = None


class _Worker:
    """A daemon thread running handler calls one at a time.

    Reused across calls (a thread per call costs ~4x more); a worker whose
    handler overran its timeout is abandoned and told to stop once it returns.
    """

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, daemon=True, name="phalanx-lambda")
        self.thread.start()

    def _loop(self) -> None:
        _handler_thread.active = True
        while True:
            job = self.jobs.get()
            if job is None:
                return
            job()
            # Drop the finished call: it must not keep its invoker alive.
            job = None

    def stop(self) -> None:
        self.jobs.put(None)


def exit_payload(exit: SystemExit, request_id: str) -> str:
    """Lambda's document for a runtime process that exited (`sys.exit()` in a handler)."""
    code = exit.code
    if code is None or code == 0:
        reason = "Runtime exited without providing a reason"
    else:
        status = code if isinstance(code, int) else 1
        reason = f"Runtime exited with error: exit status {status}"
    document = {"errorMessage": f"RequestId: {request_id} Error: {reason}"}
    document["errorType"] = "Runtime.ExitError"
    return json.dumps(document)


def error_payload(error: BaseException, request_id: str) -> str:
    """The document Lambda's Python runtime returns for an unhandled exception."""
    frames = traceback.format_list(traceback.extract_tb(error.__traceback__)[1:])
    document = {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": frames,
    }
    return json.dumps(document)


def marshal_error(message: str, request_id: str) -> LambdaResponse:
    """Lambda's answer when the handler's result cannot be sent back as JSON."""
    document = {
        "errorMessage": f"Unable to marshal response: {message}",
        "errorType": "Runtime.MarshalError",
        "requestId": request_id,
        "stackTrace": [],
    }
    return LambdaResponse(
        payload=json.dumps(document), function_error="Unhandled", request_id=request_id
    )


def _marshal(result: Any, request_id: str) -> LambdaResponse:
    """The response for a handler's `result`: JSON text, or `Runtime.MarshalError`.

    NaN and Infinity are not JSON (`allow_nan=False`); `bytes` are the raw
    payload, which must be UTF-8 text like any Invoke response payload here.
    """
    if isinstance(result, bytes | bytearray):
        try:
            text = bytes(result).decode("utf-8")
        except UnicodeDecodeError as error:
            return marshal_error(f"the returned bytes are not UTF-8 ({error})", request_id)
    else:
        try:
            text = json.dumps(result, allow_nan=False)
        except (TypeError, ValueError, RecursionError) as error:
            return marshal_error(f"{error}", request_id)
    return LambdaResponse(payload=text, request_id=request_id)


class FunctionInvoker:
    """Runs registered Python handlers in-process.

    `functions` maps a function name to a `phalanx.function` or a plain
    `handler(event, context)` callable. `monotonic` measures the real time a
    handler spends (tests pass a fake one instead of sleeping).
    """

    def __init__(
        self,
        functions: Mapping[str, LambdaFunction | Callable[[Any, Any], Any]],
        clock: Clock | None = None,
        request_ids: Callable[[], str] | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.functions = dict(functions)
        self.clock = clock or RealClock()
        self.request_ids = request_ids or (lambda: str(uuid.uuid4()))
        self.monotonic = monotonic
        self._idle: list[_Worker] = []
        self._idle_lock = threading.Lock()

    def _worker(self) -> _Worker:
        """An idle handler thread of this invoker, or a new one (calls may run at once:
        Parallel branches); each is stopped with the invoker."""
        with self._idle_lock:
            if self._idle:
                return self._idle.pop()
        worker = _Worker()
        weakref.finalize(self, worker.stop)
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._idle_lock:
            self._idle.append(worker)

    def invoke(self, request: InvokeLambda) -> LambdaResponse:
        name = function_name(request.function)
        handler = self.functions.get(name)
        request_id = self.request_ids()
        if handler is None:
            return LambdaResponse(not_found=True, request_id=request_id)
        event = json.loads(json.dumps(request.payload))
        if isinstance(handler, LambdaFunction):
            function_timeout = float(handler.timeout)
            memory = handler.memory_size
        else:
            function_timeout, memory = float(MAX_FUNCTION_TIMEOUT), 128
        timeout = request.timeout
        lambda_timeout = timeout is None or function_timeout < timeout
        if lambda_timeout:
            timeout = function_timeout
        elapsed = _Elapsed(self.clock, self.monotonic)
        day = datetime.datetime.fromtimestamp(elapsed.clock_start, datetime.UTC)
        context = LambdaContext(
            name,
            request_id,
            memory_limit_in_mb=memory,
            invoked_function_arn=request.function if request.function.startswith("arn:") else "",
            log_stream_name=f"{day:%Y/%m/%d}/[$LATEST]{request_id.replace('-', '')}",
            remaining_seconds=lambda: function_timeout - elapsed.seconds(),
        )
        outcome = self._call(handler, event, context, timeout, elapsed)
        if outcome is None:
            if lambda_timeout:
                message = f"Task timed out after {float(timeout or 0):.2f} seconds"
                document = {"errorMessage": message, "errorType": "Sandbox.Timedout"}
                return LambdaResponse(
                    payload=json.dumps(document), function_error="Unhandled", request_id=request_id
                )
            return LambdaResponse(timed_out=True, request_id=request_id)
        kind, value = outcome
        if kind == "exit":
            return LambdaResponse(
                payload=exit_payload(value, request_id),
                function_error="Unhandled",
                request_id=request_id,
            )
        if kind == "error":
            return LambdaResponse(
                payload=error_payload(value, request_id),
                function_error="Unhandled",
                request_id=request_id,
            )
        return _marshal(value, request_id)

    def _call(
        self,
        handler: Callable[[Any, Any], Any],
        event: Any,
        context: LambdaContext,
        timeout: float | None,
        elapsed: _Elapsed,
    ) -> tuple[str, Any] | None:
        """Run the handler in a thread: `(kind, value)`, or None when it timed out."""
        box: list[tuple[str, Any]] = []
        done = threading.Event()
        clock = self.clock

        def target() -> None:
            with using(clock):
                try:
                    box.append(("ok", handler(event, context)))
                except Exception as error:
                    box.append(("error", error))
                except SystemExit as exit:
                    box.append(("exit", exit))
                except KeyboardInterrupt as interrupt:
                    box.append(("interrupt", interrupt))
                except BaseException as error:
                    box.append(("error", error))
                finally:
                    done.set()

        worker = self._worker()
        with _handler_output(lambda: not done.is_set()):
            worker.jobs.put(target)
            # The real-time backstop: an endless handler is abandoned here.
            done.wait(timeout)
        if not done.is_set():
            # Python cannot stop the thread: it leaks until the handler returns.
            worker.stop()
        else:
            self._release(worker)
        if not box or (timeout is not None and elapsed.seconds() > timeout):
            if isinstance(self.clock, VirtualClock) and timeout is not None:
                self.clock.set(elapsed.clock_start + timeout)
            return None
        kind, value = box[0]
        if kind == "interrupt":
            raise value
        return kind, value
