"""How Phalanx runs a Task resource: in this process, through boto3, or not at all (and why).

    support("arn:aws:states:::dynamodb:putItem").way   # "boto3"

The answer is what `bench/integrations.py` counts over the real-world
corpus and what docs/services.md tabulates. A deploy-time placeholder that
is the whole resource (`${ProcessFunctionArn}`, SAM's `${DDBPutItem}`) is
read by its name: an activity if it says so, a service integration when
it names a service the way SAM's `DefinitionSubstitutions` do (`DDB...`,
`S3...`, `SQS...`, `SNS...`), else a Lambda function's ARN (what a bare
ARN resource nearly always is).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from phalanx.asl.resources import ResourceKind, TaskResource, parse_resource
from phalanx.services import sync

LOCAL = "local"
LOCAL_OR_BOTO3 = "local or boto3"
BOTO3 = "boto3"
CALLBACK = "callback"
HTTP = "http"
NONE = "none"

_SERVICE_PLACEHOLDER = re.compile(r"\$\{(DDB|DynamoDB|S3|SQS|SNS|Sns|Sqs)[A-Z]")
_ACTIVITY_PLACEHOLDER = re.compile(r"\$\{[^}]*Activity[^}]*\}")
_WHOLE_PLACEHOLDER = re.compile(r"\$\{[^}]+\}")


_CALLBACK_WHY = (
    "the request goes out (a child here, else via boto3); the token is answered "
    "through callbacks=/TaskTokens or a child's sfn:sendTaskSuccess"
)


@dataclasses.dataclass(frozen=True, slots=True)
class Support:
    """`way` is one of LOCAL, LOCAL_OR_BOTO3, BOTO3, CALLBACK, HTTP, NONE; `why` says more."""

    way: str
    why: str

    @property
    def runnable(self) -> bool:
        return self.way != NONE


def support(resource: str, boto3_services: set[str] | None = None) -> Support:
    """How `resource` runs; `boto3_services` (compact names boto3 knows) checks SDK services."""
    if _WHOLE_PLACEHOLDER.fullmatch(resource):
        if _ACTIVITY_PLACEHOLDER.fullmatch(resource):
            return Support(CALLBACK, "an activity (placeholder): answered by callbacks=/TaskTokens")
        if _SERVICE_PLACEHOLDER.match(resource):
            return Support(BOTO3, "a service integration substituted at deploy time")
        return Support(LOCAL_OR_BOTO3, "a Lambda function ARN (placeholder)")
    parsed = parse_resource(resource, placeholders=True)
    return _support(parsed, boto3_services)


def _support(parsed: TaskResource, boto3_services: set[str] | None) -> Support:
    kind = parsed.kind
    if kind is ResourceKind.LAMBDA:
        return Support(LOCAL_OR_BOTO3, "declared functions run here; others are invoked via boto3")
    if kind is ResourceKind.ACTIVITY:
        return Support(CALLBACK, "an activity: answered by callbacks=/TaskTokens")
    if kind is ResourceKind.HTTP:
        return Support(HTTP, "called with --http; connection secrets from a local file")
    if kind is ResourceKind.UNKNOWN:
        return Support(NONE, "not a resource Step Functions knows")
    waits = parsed.pattern == ".waitForTaskToken"
    if kind is ResourceKind.SDK:
        compact = parsed.service.replace("-", "").lower()
        if boto3_services is not None and compact not in boto3_services:
            return Support(NONE, f"boto3 has no service {parsed.service}")
        if waits:
            return Support(CALLBACK, _CALLBACK_WHY)
        if parsed.service == "sfn" and parsed.action.startswith("sendTask"):
            return Support(LOCAL_OR_BOTO3, "tokens of this run are answered here; others via boto3")
        return Support(BOTO3, "aws-sdk: the API action through boto3")
    key = (parsed.service, parsed.action)
    if waits:
        return Support(CALLBACK, _CALLBACK_WHY)
    if parsed.is_lambda_invoke:
        return Support(LOCAL_OR_BOTO3, "declared functions run here; others are invoked via boto3")
    if key == ("states", "startExecution"):
        return Support(LOCAL_OR_BOTO3, "machines the run knows run here; others via boto3")
    if key == ("apigateway", "invoke"):
        return Support(BOTO3, "an HTTP call to the stage, signed with the run's credentials")
    if parsed.pattern.startswith(".sync") and key not in sync.JOBS:
        return Support(NONE, f"no poller for {parsed.service}:{parsed.action}.sync yet")
    return Support(BOTO3, "optimized integration through boto3")


def task_resources(states: Any) -> Iterator[str]:
    """Every Task's `Resource` in an ASL `States` object, Parallel and Map states included."""
    for state in (states or {}).values():
        if not isinstance(state, dict):
            continue
        if state.get("Type") == "Task" and isinstance(state.get("Resource"), str):
            yield state["Resource"]
        for branch in state.get("Branches") or []:
            if isinstance(branch, dict):
                yield from task_resources(branch.get("States"))
        for field in ("Iterator", "ItemProcessor"):
            if isinstance(state.get(field), dict):
                yield from task_resources(state[field].get("States"))


def boto3_service_names(botocore_session: Any) -> set[str]:
    """Every service boto3 knows, by compact client name and compact `serviceId`."""
    from phalanx.services.naming import compact

    names = botocore_session.get_available_services()
    known = {compact(name) for name in names}
    known |= {compact(str(botocore_session.get_service_model(n).service_id)) for n in names}
    return known
