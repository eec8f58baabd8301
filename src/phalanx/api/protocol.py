"""AWS's JSON 1.0 protocol: one HTTP request in, one reply out, never an exception.

    POST /
    X-Amz-Target: AWSStepFunctions.CreateStateMachine
    Content-Type: application/x-amz-json-1.0
    Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/states/aws4_request, ...

    {"name": "...", "definition": "...", "roleArn": "..."}

Any SigV4 credentials are accepted (the signature is not checked, as local
emulators do); the credential scope's region goes into the ARNs. Dates are
epoch seconds. Whatever the request, the answer is AWS-shaped: malformed JSON
is a SerializationException, an unknown target an UnknownOperationException,
a bug in Phalanx an InternalFailure (HTTP 500) with the traceback on stderr.
"""

from __future__ import annotations

import json
import logging
import random
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from phalanx.api.context import DEFAULT_REGION, Context, Service
from phalanx.api.dispatch import dispatch
from phalanx.api.errors import ApiError, serialization, validation

CONTENT_TYPE = "application/x-amz-json-1.0"
MAX_REQUEST_BYTES = 4 * 1_048_576
"""The largest body read: a 1 MiB definition, JSON-escaped, with room to spare."""

_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")
_REGION = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/")
_LOG = logging.getLogger("phalanx.api")


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def region_of(headers: Mapping[str, str]) -> str:
    """The region a SigV4 `Authorization` header was signed for (us-east-1 when unsigned)."""
    found = _REGION.search(headers.get("authorization", ""))
    return found.group(1) if found else DEFAULT_REGION


def too_large(length: int) -> ApiError:
    return validation(
        f"Request payload of {length} bytes exceeds the limit of {MAX_REQUEST_BYTES} bytes"
    )


def respond(service: Service, method: str, headers: Mapping[str, str], body: bytes) -> Reply:
    """Answer one request; every failure becomes an AWS-shaped error reply.

    `headers` has lower-case names.
    """
    try:
        if method != "POST":
            raise ApiError(
                "UnknownOperationException", f"{method} is not supported; POST JSON 1.0 to /"
            )
        request = _decode(body)
        context = Context(service, region_of(headers))
        answer = dispatch(context, headers.get("x-amz-target"), request)
    except ApiError as error:
        return refuse(error)
    except Exception:
        _LOG.exception("internal failure answering %s", headers.get("x-amz-target"))
        return refuse(ApiError("InternalFailure", "Phalanx failed; see the server log", status=500))
    return _reply(200, answer, {})


def _decode(body: bytes) -> Any:
    if not body.strip():
        return {}
    try:
        text = body.decode("utf-8")
        request = json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise serialization(
            f"Request body is not UTF-8: {exc.reason} at byte {exc.start}"
        ) from None
    except json.JSONDecodeError as exc:
        raise serialization(
            f"Malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise serialization(f"Malformed JSON: {exc}") from None
    if _SURROGATE_ESCAPE.search(body):  # raw UTF-8 cannot hold one; only `\\udXXX` can
        _refuse_lone_surrogates(request)
    return request


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _refuse_lone_surrogates(value: Any) -> None:
    """`"\\ud800"` parses to a string SQLite and UTF-8 cannot hold: refuse it up front."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise serialization("Invalid UTF-8: a string holds a lone surrogate") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def refuse(error: ApiError) -> Reply:
    """The reply carrying `error` (also for requests refused before they are read)."""
    return _reply(error.status, error.body(), {"x-amzn-ErrorType": error.code})


_REQUEST_IDS = random.Random()


def _request_id() -> str:
    """A UUID-shaped request id; it names a request in logs, it guards nothing, so no
    `os.urandom` call (and GIL hand-off) per reply."""
    return str(uuid.UUID(int=_REQUEST_IDS.getrandbits(128), version=4))


def _reply(status: int, payload: dict[str, Any], headers: dict[str, str]) -> Reply:
    body = json.dumps(payload, separators=(",", ":")).encode("ascii")
    return Reply(
        status,
        {
            "Content-Type": CONTENT_TYPE,
            "Content-Length": str(len(body)),
            "x-amzn-RequestId": _request_id(),
            **headers,
        },
        body,
    )
