"""Requests and responses in Step Functions' shapes, from and to boto3's.

Step Functions takes an SDK integration's parameters in PascalCase even
where the API's members are camelCase (API Gateway's `restApiId`), and
returns responses as the AWS SDK for Java 2 serialises them: member names
with a capital first letter, timestamps as ISO 8601 text, blobs as text
(S3 `GetObject`'s `Body`) or base64. `conform` and `serialise` follow the
botocore shapes to do the same.
"""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any


def conform(value: Any, shape: Any) -> Any:
    """`value` with each structure key renamed to the member it names, ignoring case.

    A key no member matches is kept as given, so boto3's own validation names it.
    """
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = {name.lower(): name for name in shape.members}
        result = {}
        for key, item in value.items():
            name = members.get(key.lower(), key)
            result[name] = conform(item, shape.members.get(name))
        return result
    if kind == "list" and isinstance(value, list):
        return [conform(item, shape.member) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: conform(item, shape.value) for key, item in value.items()}
    if kind == "blob" and isinstance(value, (dict, list)):
        return json.dumps(value).encode()
    return value


def serialise(value: Any, shape: Any = None) -> Any:
    """A boto3 response value as Step Functions shows it (JSON only), following `shape`.

    Structure members get a capital first letter; map keys (DynamoDB
    attribute names, S3 metadata, tags) are user data and stay as they are.
    """
    kind = shape.type_name if shape is not None else None
    if isinstance(value, dict):
        if kind == "map":
            return {key: serialise(item, shape.value) for key, item in value.items()}
        members = shape.members if kind == "structure" else {}
        return {
            _member(key) if kind == "structure" else key: serialise(item, members.get(key))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [serialise(item, shape.member if kind == "list" else None) for item in value]
    if isinstance(value, datetime.datetime):
        return _timestamp(value)
    if isinstance(value, (bytes, bytearray)):
        return _blob(bytes(value))
    if hasattr(value, "read"):  # a StreamingBody (S3 GetObject's Body, Bedrock's body)
        return _blob(value.read())
    return value


def _member(key: str) -> str:
    return key[:1].upper() + key[1:]


def _timestamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    text = moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def _blob(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii")


def json_text(value: Any) -> Any:
    """A parameter Step Functions sends as text: JSON values become their JSON text."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def sdk_metadata(response: dict[str, Any]) -> dict[str, Any]:
    """`SdkHttpMetadata` and `SdkResponseMetadata` from boto3's `ResponseMetadata`.

    The Java SDK v1 integrations (DynamoDB, SQS, SNS, Lambda) return them
    beside the API's fields.
    """
    meta = response.get("ResponseMetadata", {})
    headers = {str(k): str(v) for k, v in meta.get("HTTPHeaders", {}).items()}
    return {
        "SdkHttpMetadata": {
            "AllHttpHeaders": {key: [value] for key, value in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": int(meta.get("HTTPStatusCode", 200)),
        },
        "SdkResponseMetadata": {"RequestId": str(meta.get("RequestId", ""))},
    }
