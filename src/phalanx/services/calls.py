"""The service handler: each integration a Task calls, answered locally or through boto3.

    handler = Services(connection, clock, children=local_children, tokens=tokens)
    drive(interpreter, clock, invoker, handler, ...)

In this order:

1. `states:startExecution*` naming a machine the run knows: a child
   execution through the `StartChild` seam (`nested.py`);
2. `aws-sdk:sfn:sendTaskSuccess|sendTaskFailure|sendTaskHeartbeat` with a
   token this run handed out: answered in-process (`callbacks.py`);
3. `http:invoke`: only when the run allows HTTP calls (`http.py`);
4. with a connection (`--aws`, `run(aws=...)`): optimized integrations
   (`integrations.py`, `.sync` jobs polled by `sync.py`) and `aws-sdk:*`
   through boto3, results and errors shaped as Step Functions shapes them;
5. anything else: `fallback` (by default a clear failure naming the options).

Mocks are not seen here: the driver answers mocked states before calling it.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from typing import Any

from phalanx.asl.resources import ResourceKind, TaskResource, parse_resource
from phalanx.engine.effects import Callback, CallService, ServiceResponse
from phalanx.errors import DefinitionError
from phalanx.runtime.clock import Clock
from phalanx.runtime.driver import unmocked_service
from phalanx.services import nested, sync
from phalanx.services.apigateway import ApiGatewayTask
from phalanx.services.callbacks import TaskTokens
from phalanx.services.clients import Connection
from phalanx.services.failures import failure, runtime
from phalanx.services.integrations import integration
from phalanx.services.naming import pascal_service, sdk_client
from phalanx.services.shapes import conform, json_text, sdk_metadata, serialise

ServiceHandler = Callable[[CallService], ServiceResponse]

TOKEN_ACTIONS = {"sendTaskSuccess", "sendTaskFailure", "sendTaskHeartbeat"}


@dataclasses.dataclass(frozen=True, slots=True)
class CallRecord:
    """One call made through boto3: what `phalanx run` prints per call."""

    state: str
    service: str
    action: str
    seconds: float
    error: str | None = None


no_service = unmocked_service
"""The answer when nothing can run an integration: a clear failure naming the options."""


class Services:
    """A `ServiceHandler` (see the module docstring for the order it tries)."""

    def __init__(
        self,
        connection: Connection | None,
        clock: Clock,
        *,
        children: nested.StartChild | None = None,
        tokens: TaskTokens | None = None,
        http: Callable[[CallService], ServiceResponse] | None = None,
        fallback: ServiceHandler = no_service,
        on_call: Callable[[CallRecord], None] | None = None,
        poll_seconds: float = sync.POLL_SECONDS,
    ) -> None:
        self.connection = connection
        self.clock = clock
        self.children = children
        self.tokens = tokens or TaskTokens()
        self.http = http
        self.fallback = fallback
        self.on_call = on_call
        self.poll_seconds = poll_seconds

    def __call__(self, request: CallService) -> ServiceResponse:
        resource = parse_resource(request.resource)
        return self._call(request, resource, resource.pattern)

    def submit(self, request: Callback) -> ServiceResponse | None:
        """Send a `.waitForTaskToken` task's request; None when nothing here can send it."""
        resource = parse_resource(request.resource)
        call = CallService(request.state, request.resource, request.parameters, id=request.id)
        if self._is_local_child(resource, request.parameters):
            return self._call(call, resource, "")
        if self.connection is None:
            return None
        if resource.is_lambda_invoke:
            # The function (with the token in its payload) is invoked asynchronously.
            parameters = dict(request.parameters) if isinstance(request.parameters, dict) else {}
            parameters["InvocationType"] = "Event"
            call = dataclasses.replace(call, parameters=parameters)
        return self._call(call, resource, "")

    def _is_local_child(self, resource: TaskResource, parameters: Any) -> bool:
        return (
            self.children is not None
            and (resource.service, resource.action) == ("states", "startExecution")
            and isinstance(parameters, dict)
            and isinstance(parameters.get("StateMachineArn"), str)
            and self.children.knows(parameters["StateMachineArn"])
        )

    def _call(self, request: CallService, resource: TaskResource, pattern: str) -> ServiceResponse:
        parameters = request.parameters
        if self._is_local_child(resource, parameters):
            return self._local_child(parameters, pattern)
        if (
            resource.kind is ResourceKind.SDK
            and resource.service == "sfn"
            and resource.action in TOKEN_ACTIONS
            and isinstance(parameters, dict)
            and self.tokens.knows(str(parameters.get("TaskToken", "")))
        ):
            return self._answer_token(resource.action, parameters)
        http = self.http
        if resource.kind is ResourceKind.HTTP and http is not None:
            return self._timed(request, "http", "invoke", lambda: http(request))
        if (resource.service, resource.action) == ("apigateway", "invoke") and self.connection:
            task = ApiGatewayTask(self.connection)
            return self._timed(request, "apigateway", "invoke", lambda: task(request))
        if self.connection is None or resource.kind not in (
            ResourceKind.SDK,
            ResourceKind.INTEGRATION,
        ):
            return self.fallback(request)
        if resource.kind is ResourceKind.SDK:
            return self._timed(
                request, resource.service, resource.action, lambda: self._sdk(resource, parameters)
            )
        return self._timed(
            request,
            resource.service,
            resource.action + pattern,
            lambda: self._optimized(resource, parameters, pattern, request.timeout),
        )

    def _timed(
        self, request: CallService, service: str, action: str, call: Callable[[], ServiceResponse]
    ) -> ServiceResponse:
        started = time.monotonic()
        response = call()
        if self.on_call is not None:
            self.on_call(
                CallRecord(
                    request.state, service, action, time.monotonic() - started, response.error
                )
            )
        return response

    def _local_child(self, parameters: Any, pattern: str) -> ServiceResponse:
        assert self.children is not None
        start = nested.child_request(parameters)
        if isinstance(start, ServiceResponse):
            return start
        try:
            child = self.children.start(start, wait=pattern.startswith(".sync"))
        except DefinitionError as error:
            # StartExecution refuses it: InvalidName, InvalidExecutionInput, InvalidDefinition.
            code = error.message.split(":", 1)[0]
            if not code.startswith("Invalid") or " " in code:
                code = "InvalidDefinition"
            return ServiceResponse(
                error=f"StepFunctions.{code}Exception", cause=error.message.split(": ", 1)[-1]
            )
        return nested.result(child, pattern, {})

    def _answer_token(self, action: str, parameters: dict[str, Any]) -> ServiceResponse:
        token = str(parameters["TaskToken"])
        if action == "sendTaskSuccess":
            output = parameters.get("Output")
            if isinstance(output, str):
                try:
                    output = json.loads(output)
                except ValueError:
                    return ServiceResponse(
                        error="Sfn.InvalidOutputException",
                        cause=f"Invalid Output: {output[:60]!r} is not JSON",
                    )
            self.tokens.send_task_success(token, output)
        elif action == "sendTaskFailure":
            self.tokens.send_task_failure(token, parameters.get("Error"), parameters.get("Cause"))
        else:
            self.tokens.send_task_heartbeat(token)
        return ServiceResponse(output={})

    def _sdk(self, resource: TaskResource, parameters: Any) -> ServiceResponse:
        assert self.connection is not None
        found = sdk_client(self.connection.botocore_session, resource.service)
        if found is None:
            return runtime(f"aws-sdk:{resource.service} is not a service boto3 knows")
        client_name, service_id = found
        prefix = pascal_service(service_id)
        client = self.connection.client(client_name)
        operation = resource.action[:1].upper() + resource.action[1:]
        model = client.meta.service_model
        if operation not in model.operation_names:
            return runtime(f"aws-sdk:{resource.service} has no action {resource.action}")
        shape = model.operation_model(operation)
        try:
            response = getattr(client, _snake(operation))(
                **conform(parameters or {}, shape.input_shape)
            )
        except Exception as error:
            return failure(error, prefix, sdk=True, service=prefix)
        response.pop("ResponseMetadata", None)
        return ServiceResponse(output=serialise(response, shape.output_shape))

    def _optimized(
        self, resource: TaskResource, parameters: Any, pattern: str, timeout: float | None
    ) -> ServiceResponse:
        assert self.connection is not None
        row = integration(resource.service, resource.action)
        job = sync.JOBS.get((resource.service, resource.action))
        remote_child = (resource.service, resource.action) == ("states", "startExecution")
        if pattern.startswith(".sync") and job is None and not remote_child:
            return runtime(
                f"{resource.text}: Phalanx cannot follow {resource.service}:{resource.action} "
                "jobs to their end yet (no poller); mock the state"
            )
        parameters = dict(parameters) if isinstance(parameters, dict) else {}
        for field in row.json_fields:
            if field in parameters:
                parameters[field] = json_text(parameters[field])
        if (resource.service, resource.action) == ("events", "putEvents"):
            parameters["Entries"] = [
                {**entry, "Detail": json_text(entry["Detail"])} if "Detail" in entry else entry
                for entry in parameters.get("Entries", [])
            ]
        try:
            client = self.connection.client(row.client)
            model = client.meta.service_model
            if row.operation not in model.operation_names:
                return runtime(f"{resource.text}: {row.client} has no action {row.operation}")
            shape = model.operation_model(row.operation)
            response = getattr(client, _snake(row.operation))(
                **conform(parameters, shape.input_shape)
            )
        except Exception as error:
            return failure(error, row.prefix, sdk=False, service=_v1_service(row.client))
        if remote_child:
            return self._remote_child(client, response, pattern, timeout)
        if pattern.startswith(".sync") and job is not None:
            try:
                return sync.follow(
                    job, client, response, parameters, self.clock, timeout, self.poll_seconds
                )
            except Exception as error:
                return failure(error, row.prefix, sdk=False, service=_v1_service(row.client))
        metadata = sdk_metadata(response) if row.metadata else {}
        response.pop("ResponseMetadata", None)
        output = serialise(response, shape.output_shape)
        if (resource.service, resource.action) == ("events", "putEvents") and output.get(
            "FailedEntryCount"
        ):
            # "If FailedEntryCount is greater than zero, the task fails with
            # EventBridge.FailedEntry" (developer guide, EventBridge integration).
            return ServiceResponse(error="EventBridge.FailedEntry", cause=json.dumps(output))
        return ServiceResponse(output={**output, **metadata})

    def _remote_child(
        self, client: Any, started: dict[str, Any], pattern: str, timeout: float | None
    ) -> ServiceResponse:
        """A child in Step Functions itself (a machine this run does not know)."""
        arn = started["executionArn"]
        began = self.clock.now()
        while True:
            try:
                described = client.describe_execution(executionArn=arn)
            except Exception as error:
                return failure(error, "StepFunctions", sdk=False, service="AWSStepFunctions")
            if described["status"] != "RUNNING" or not pattern.startswith(".sync"):
                break
            if timeout is not None and self.clock.now() - began >= timeout:
                return ServiceResponse(error="States.Timeout")
            self.clock.sleep(self.poll_seconds)
        stop = described.get("stopDate")
        child = nested.ChildExecution(
            arn,
            described["stateMachineArn"],
            described["name"],
            described["status"],
            described["startDate"].timestamp(),
            stop.timestamp() if stop is not None else None,
            described.get("input", "{}"),
            described.get("output"),
            described.get("error"),
            described.get("cause"),
        )
        return nested.result(child, pattern, sdk_metadata(started))


def _snake(operation: str) -> str:
    """boto3's method name for an API operation (`PutItem` -> `put_item`)."""
    from botocore import xform_name

    return str(xform_name(operation))


def _v1_service(client: str) -> str:
    """The service name the Java SDK v1 puts in causes (`AmazonDynamoDBv2`, `AmazonSQS`)."""
    return {
        "dynamodb": "AmazonDynamoDBv2",
        "sqs": "AmazonSQS",
        "sns": "AmazonSNS",
        "lambda": "AWSLambda",
        "stepfunctions": "AWSStepFunctions",
    }.get(client, client)
