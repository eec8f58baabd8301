"""Task resources: how the engine runs what a `Resource` names, and Lambda's result shapes.

The ARN itself is parsed by `phalanx.asl.resources`, shared with the
validator, IAM and the runtime.

Two Lambda forms (AWS "Invoke an AWS Lambda function with Step Functions"):

* a function ARN (or a `phalanx.function`, seen here as a `FunctionResource`):
  the state's effective parameters are the event; the result is the
  function's parsed response; history has `LambdaFunction*` events;
* `arn:aws:states:::lambda:invoke`: `Parameters` carry `FunctionName` and
  `Payload`; the result is the Invoke API response (`Payload`, `StatusCode`,
  `ExecutedVersion`, `SdkHttpMetadata`, `SdkResponseMetadata`); history has
  `Task*` events with `resourceType: lambda`, `resource: invoke`.

Any other `arn:aws:states:::<service>:<action>` is a service integration,
run by the runtime through mocks; so is `lambda:invoke.waitForTaskToken` (the
callback that completes it can only come from a mock locally).
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any, Protocol

from phalanx.asl import resources
from phalanx.asl.resources import ResourceKind
from phalanx.engine.effects import LambdaResponse
from phalanx.engine.history import from_text

MAX_PAYLOAD_BYTES = 256 * 1024
"""Step Functions' payload quota: 256 KiB of UTF-8 JSON text."""

LOCAL_REGION = "us-east-1"
LOCAL_ACCOUNT = "111111111111"
"""The region and account a local execution's ARNs name (`ExecutionInfo`'s defaults).

The same values as `phalanx.functions.DEFAULT_REGION`/`DEFAULT_ACCOUNT`
(pinned by a test): the engine does not import that module.
"""


class FunctionResource(Protocol):
    """A Task resource given as a function object rather than an ARN.

    `phalanx.function` makes these; the engine needs only its name (what the
    runtime invokes) and its ARN (what the history shows).
    """

    @property
    def name(self) -> str: ...

    def arn(self, region: str, account: str) -> str: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Resource:
    """A parsed Task resource.

    `kind` is "function" (Lambda ARN or phalanx.function), "invoke"
    (`lambda:invoke`), "activity" (an activity ARN) or "service";
    `service`/`action`/`pattern` come from a
    `arn:aws:states:::service:action[.pattern]` ARN.
    """

    kind: str
    arn: str
    function: str | None = None
    service: str = "lambda"
    action: str = "invoke"
    pattern: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class TaskCall:
    """One attempt of a Task state: what it calls, with what, and its limits in seconds."""

    resource: Resource
    parameters: Any
    timeout: float | None
    heartbeat: float | None

    def limits(self) -> dict[str, int]:
        """`timeoutInSeconds`/`heartbeatInSeconds` of a `...Scheduled` event, where set."""
        limits = {}
        if self.timeout is not None:
            limits["timeoutInSeconds"] = int(self.timeout)
        if self.heartbeat is not None:
            limits["heartbeatInSeconds"] = int(self.heartbeat)
        return limits


def parse_resource(
    resource: str | FunctionResource, region: str = LOCAL_REGION, account: str = LOCAL_ACCOUNT
) -> Resource:
    """How the engine runs `resource`; a function object's ARN is in `region` under `account`.

    An activity is a worker's task; text that names no known form is run as
    a function of that name (locally, an invoker or a mock answers it).
    """
    if not isinstance(resource, str):
        return Resource("function", resource.arn(region, account), function=resource.name)
    parsed = resources.parse_resource(resource)
    if parsed.kind is ResourceKind.ACTIVITY:
        # arn:aws:states:<region>:<account>:activity:<name>: a worker's task, not a function.
        return Resource("activity", resource, service="states", action="activity")
    pattern = parsed.pattern.removeprefix(".") or None
    if parsed.is_lambda_invoke:
        return Resource("invoke", resource, pattern=pattern)
    if parsed.kind in (ResourceKind.INTEGRATION, ResourceKind.HTTP):
        return Resource(
            "service", resource, service=parsed.service, action=parsed.action, pattern=pattern
        )
    if parsed.kind is ResourceKind.SDK:
        action = f"{parsed.service}:{parsed.action}"
        return Resource("service", resource, service="aws-sdk", action=action, pattern=pattern)
    return Resource("function", resource, function=resource)


def function_arn(function: str, region: str = LOCAL_REGION, account: str = LOCAL_ACCOUNT) -> str:
    """A full function ARN for a name or ARN (Lambda accepts both)."""
    return resources.function_arn(function, region, account)


def parse_payload(response: LambdaResponse) -> Any:
    """The JSON value of a successful invocation's payload text.

    An empty payload is JSON null; text that is not JSON (NaN included) is
    kept as a string, as Step Functions does for a handler returning raw bytes.
    """
    text = response.payload
    if text == "":
        return None
    try:
        return from_text(text)
    except ValueError:
        return text


def invoke_result(response: LambdaResponse, payload: Any, log_type: Any = None) -> dict[str, Any]:
    """The `lambda:invoke` result: the Invoke API response as Step Functions gives it.

    `LogType: Tail` adds `LogResult` (base64 of the log tail; empty locally).
    """
    length = str(len(response.payload.encode("utf-8")))
    request_id = response.request_id
    result = _invoke_result(response, payload, length, request_id)
    if log_type == "Tail":
        log = base64.b64encode(b"").decode("ascii")
        result = {"ExecutedVersion": result.pop("ExecutedVersion"), "LogResult": log, **result}
        result["SdkHttpMetadata"]["AllHttpHeaders"]["X-Amz-Log-Result"] = [log]
        result["SdkHttpMetadata"]["HttpHeaders"]["X-Amz-Log-Result"] = log
    return result


def _invoke_result(
    response: LambdaResponse, payload: Any, length: str, request_id: str
) -> dict[str, Any]:
    return {
        "ExecutedVersion": response.executed_version,
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": [response.executed_version],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Length": [length],
                "Date": ["Thu, 01 Jan 1970 00:00:00 GMT"],
                "X-Amzn-Trace-Id": ["Root=1-00000000-000000000000000000000000;Sampled=0"],
                "Content-Type": ["application/json"],
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Length": length,
                "Content-Type": "application/json",
                "Date": "Thu, 01 Jan 1970 00:00:00 GMT",
                "X-Amz-Executed-Version": response.executed_version,
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
                "X-Amzn-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0",
            },
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200,
    }


def function_error(response: LambdaResponse) -> tuple[str, str]:
    """Error name and cause of a failed invocation: `errorType` and the payload text."""
    try:
        document = json.loads(response.payload)
    except ValueError:
        document = None
    error = "Lambda.Unknown"
    if isinstance(document, dict) and isinstance(document.get("errorType"), str):
        error = document["errorType"]
    return error, response.payload
