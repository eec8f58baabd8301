"""How Step Functions names services and their errors, and which boto3 client serves them.

An SDK integration `arn:aws:states:::aws-sdk:<service>:<action>` names the
service as the AWS SDK for Java 2 does: the API's `serviceId` in lower case
without spaces (`dynamodb`, `sfn`, `eventbridge`, `cloudwatchlogs`,
`elasticloadbalancingv2`); boto3 names some of them differently (`events`,
`logs`, `elbv2`). Errors of SDK integrations are `<Service>.<Error>`: the
service in PascalCase as the Java SDK spells its client (`DynamoDb`, `S3`,
`Sfn`, `SecretsManager`) and the API's error code with `Exception` added
when it lacks it (AWS, "Handling errors in SDK integrations":
`S3.NoSuchKeyException`, `DynamoDb.ConditionalCheckFailedException`).
Optimized integrations keep their own documented prefixes
(`DynamoDB.ConditionalCheckFailedException`, `SQS.QueueDoesNotExistException`).
"""

from __future__ import annotations

import functools
import re
from typing import Any

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def pascal_service(service_id: str) -> str:
    """A botocore `serviceId` as the Java SDK's client prefix: `DynamoDB` -> `DynamoDb`."""
    return "".join(word.capitalize() for word in _WORDS.findall(service_id))


def compact(name: str) -> str:
    """`Cloud Watch Logs` / `cloudwatch-logs` -> `cloudwatchlogs`: how the ARN names a service."""
    return re.sub(r"[\s_-]", "", name).lower()


def error_name(prefix: str, code: str) -> str:
    """`S3` + `NoSuchKey` -> `S3.NoSuchKeyException` (the suffix is added once)."""
    code = code.split(".")[-1] or "Unknown"
    if not code.endswith("Exception"):
        code += "Exception"
    return f"{prefix}.{code}"


def _service_id(botocore_session: Any, name: str) -> str:
    model = botocore_session.get_service_model(name)
    return str(model.service_id)


_ALIASES = {
    "sfn": "stepfunctions",
    "eventbridge": "events",
    "cloudwatchlogs": "logs",
    "elasticloadbalancingv2": "elbv2",
    "elasticloadbalancing": "elb",
    "costexplorer": "ce",
    "cognitoidentityprovider": "cognito-idp",
}
"""ARN service names whose boto3 client is not the same word (the common ones, to skip a scan)."""


def sdk_client(botocore_session: Any, service: str) -> tuple[str, str] | None:
    """The boto3 client name and `serviceId` for the ARN's `service`, or None if boto3 lacks it.

    Most names match boto3's once compacted (`dynamodb`, `secretsmanager`,
    `sagemakerruntime`); the rest (`sfn` is `stepfunctions`, `eventbridge` is
    `events`) are found by `serviceId`, loading every model once.
    """
    key = compact(service)
    names = botocore_session.get_available_services()
    if key in _ALIASES:
        return _ALIASES[key], _service_id(botocore_session, _ALIASES[key])
    for name in names:
        if compact(name) == key:
            return name, _service_id(botocore_session, name)
    return _by_service_id(botocore_session, tuple(names)).get(key)


@functools.lru_cache(maxsize=4)
def _by_service_id(botocore_session: Any, names: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for name in names:
        service_id = _service_id(botocore_session, name)
        table.setdefault(compact(service_id), (name, service_id))
    return table
