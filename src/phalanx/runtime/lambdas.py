"""The Lambda invoker seam: one method, `invoke(request) -> LambdaResponse`.

* `FunctionInvoker` runs Python handlers in-process, as AWS Lambda's Python
  runtime would: the event is JSON-decoded, an exception becomes a function
  error whose payload is `{"errorMessage", "errorType", "requestId",
  "stackTrace"}`, a result that is not JSON becomes `Runtime.MarshalError`,
  `bytes` are returned as the raw payload.
* `MockInvoker` answers from canned results per function and call.

Timeouts: on a `VirtualClock` the handler runs inline and the time it spent
(virtual, via `phalanx.runtime.clock.sleep`) is compared with the timeout; on
the real clock it runs in a daemon thread that is abandoned when it overruns,
as Lambda abandons a timed-out sandbox.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import traceback
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from phalanx.engine.effects import InvokeLambda, LambdaResponse
from phalanx.functions import LambdaFunction
from phalanx.runtime.clock import Clock, RealClock, VirtualClock, using


class Invoker(Protocol):
    def invoke(self, request: InvokeLambda) -> LambdaResponse: ...


def function_name(function: str) -> str:
    """`name` from a name, `arn:...:function:name[:qualifier]` or `account:function:name`."""
    if ":function:" in function:
        return function.split(":function:", 1)[1].split(":", 1)[0]
    return function.split(":", 1)[0]


@dataclasses.dataclass(frozen=True, slots=True)
class LambdaContext:
    """The `context` argument a handler receives (the fields handlers commonly read)."""

    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 128
    invoked_function_arn: str = ""
    function_version: str = "$LATEST"

    def get_remaining_time_in_millis(self) -> int:
        return 0


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
    `handler(event, context)` callable.
    """

    def __init__(
        self,
        functions: Mapping[str, LambdaFunction | Callable[[Any, Any], Any]],
        clock: Clock | None = None,
        request_ids: Callable[[], str] | None = None,
    ) -> None:
        self.functions = dict(functions)
        self.clock = clock or RealClock()
        self.request_ids = request_ids or (lambda: str(uuid.uuid4()))

    def invoke(self, request: InvokeLambda) -> LambdaResponse:
        name = function_name(request.function)
        handler = self.functions.get(name)
        request_id = self.request_ids()
        if handler is None:
            return LambdaResponse(not_found=True, request_id=request_id)
        event = json.loads(json.dumps(request.payload))
        context = LambdaContext(name, request_id)
        own_timeout = handler.timeout if isinstance(handler, LambdaFunction) else None
        timeout = request.timeout
        lambda_timeout = own_timeout is not None and (timeout is None or own_timeout < timeout)
        if lambda_timeout:
            timeout = own_timeout
        outcome = self._call(handler, event, context, timeout)
        if outcome is None:
            if lambda_timeout:
                message = f"Task timed out after {float(timeout or 0):.2f} seconds"
                document = {"errorMessage": message, "errorType": "Sandbox.Timedout"}
                return LambdaResponse(
                    payload=json.dumps(document), function_error="Unhandled", request_id=request_id
                )
            return LambdaResponse(timed_out=True, request_id=request_id)
        kind, value = outcome
        if kind == "error":
            return LambdaResponse(
                payload=error_payload(value, request_id),
                function_error="Unhandled",
                request_id=request_id,
            )
        return _marshal(value, request_id)

    def _call(
        self, handler: Callable[[Any, Any], Any], event: Any, context: Any, timeout: float | None
    ) -> tuple[str, Any] | None:
        if isinstance(self.clock, VirtualClock):
            start = self.clock.now()
            with using(self.clock):
                try:
                    outcome: tuple[str, Any] = ("ok", handler(event, context))
                except Exception as error:
                    outcome = ("error", error)
            if timeout is not None and self.clock.now() - start > timeout:
                self.clock.set(start + timeout)
                return None
            return outcome
        box: list[tuple[str, Any]] = []

        def target() -> None:
            with using(self.clock):
                try:
                    box.append(("ok", handler(event, context)))
                except Exception as error:
                    box.append(("error", error))

        thread = threading.Thread(target=target, daemon=True, name=f"lambda-{context}")
        thread.start()
        thread.join(timeout)
        if not box:
            return None
        return box[0]


@dataclasses.dataclass(frozen=True, slots=True)
class MockedResult:
    """One canned invocation result: a `value` returned, or an error raised."""

    value: Any = None
    error: str | None = None
    cause: str | None = None
    timed_out: bool = False


class MockInvoker:
    """Answers each call to a function with the next of its canned results.

    The last result repeats once the list is spent. Functions without
    results fall through to `fallback` (if any) or are not found.
    """

    def __init__(
        self,
        results: Mapping[str, Sequence[MockedResult]],
        fallback: Invoker | None = None,
    ) -> None:
        self.results = {name: list(values) for name, values in results.items()}
        self.calls: dict[str, int] = {}
        self.fallback = fallback

    def invoke(self, request: InvokeLambda) -> LambdaResponse:
        name = function_name(request.function)
        canned = self.results.get(name)
        if not canned:
            if self.fallback is not None:
                return self.fallback.invoke(request)
            return LambdaResponse(not_found=True)
        count = self.calls.get(name, 0)
        self.calls[name] = count + 1
        result = canned[min(count, len(canned) - 1)]
        if result.timed_out:
            return LambdaResponse(timed_out=True)
        if result.error is not None:
            document = {
                "errorMessage": result.cause or "",
                "errorType": result.error,
                "requestId": "mock",
                "stackTrace": [],
            }
            return LambdaResponse(payload=json.dumps(document), function_error="Unhandled")
        return _marshal(result.value, "mock")
