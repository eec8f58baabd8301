"""Malformed requests over raw HTTP get AWS's error shapes, and the server stays up."""

from __future__ import annotations

import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.api.conftest import PASS, ROLE
from tests.api.server import RunningServer, post

CREATE = {"name": "raw", "definition": PASS, "roleArn": ROLE}


def _still_up(server: RunningServer) -> None:
    status, _, body = post(server.url, "ListStateMachines", {})
    assert status == 200 and "stateMachines" in body
    assert server.process.poll() is None


SERIALIZATION = "SerializationException"
UNKNOWN = "UnknownOperationException"
BAD_REQUESTS = [
    ("malformed-json", "ListStateMachines", b"{not json", SERIALIZATION, "Malformed JSON"),
    ("array-body", "ListStateMachines", b"[1, 2]", SERIALIZATION, "Start of list"),
    ("nan", "ListStateMachines", b'{"maxResults": NaN}', SERIALIZATION, "Malformed JSON"),
    ("not-utf8", "ListStateMachines", b'{"x": 1}\xff', SERIALIZATION, "not UTF-8"),
    ("lone-surrogate", "CreateActivity", b'{"name": "\\ud800"}', SERIALIZATION, "surrogate"),
    (
        "number-for-string",
        "CreateActivity",
        b'{"name": 5}',
        SERIALIZATION,
        "NUMBER_VALUE can not be converted to a String",
    ),
    (
        "string-for-integer",
        "ListStateMachines",
        b'{"maxResults": "ten"}',
        SERIALIZATION,
        "STRING_VALUE can not be converted to an Integer",
    ),
    (
        "fraction-for-integer",
        "ListStateMachines",
        b'{"maxResults": 2.5}',
        SERIALIZATION,
        "NUMBER_VALUE can not be converted to an Integer",
    ),
    (
        "object-for-string",
        "CreateActivity",
        b'{"name": {"a": 1}}',
        SERIALIZATION,
        "Start of structure or map",
    ),
    (
        "nested-wrong-type",
        "CreateActivity",
        b'{"name": "a", "tags": [{"key": true}]}',
        SERIALIZATION,
        "TRUE_VALUE can not be converted to a String",
    ),
    ("unknown-operation", "Frobnicate", b"{}", UNKNOWN, "Unknown operation 'Frobnicate'"),
    ("no-target", None, b"{}", UNKNOWN, "X-Amz-Target must be"),
    (
        "not-yet-implemented",
        "UpdateMapRun",
        b"{}",
        "UnsupportedOperation",
        "does not implement UpdateMapRun yet",
    ),
]


@pytest.mark.parametrize(
    ("operation", "raw", "code", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_REQUESTS],
)
def test_a_bad_request_gets_an_aws_error_and_the_server_stays_up(
    server: RunningServer, operation: str | None, raw: bytes, code: str, message: str
) -> None:
    status, headers, body = post(server.url, operation, None, raw=raw)
    assert status == 400
    assert body["__type"] == code
    assert message in body["message"]
    assert headers["x-amzn-ErrorType"] == code
    assert headers["Content-Type"] == "application/x-amz-json-1.0"
    _still_up(server)


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        pytest.param(
            {},
            "3 validation errors detected: Value null at 'name' failed to satisfy constraint: "
            "Member must not be null; Value null at 'definition'",
            id="missing-required",
        ),
        pytest.param(
            {**CREATE, "type": "FAST"},
            "1 validation error detected: Value 'FAST' at 'type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [STANDARD, EXPRESS]",
            id="enum",
        ),
        pytest.param(
            {**CREATE, "tags": [{"key": "k" * 129, "value": "v"}]},
            "at 'tags.1.member.key' failed to satisfy constraint: "
            "Member must have length less than or equal to 128",
            id="nested-length",
        ),
        pytest.param(
            {**CREATE, "definition": "x" * 1_048_577},
            "at 'definition' failed to satisfy constraint: "
            "Member must have length less than or equal to 1048576",
            id="definition-over-1-MiB",
        ),
    ],
)
def test_a_request_breaking_the_model_is_a_validation_exception(
    server: RunningServer, request_body: dict[str, Any], message: str
) -> None:
    status, _, body = post(server.url, "CreateStateMachine", request_body)
    assert (status, body["__type"]) == (400, "ValidationException")
    assert message in body["message"]
    assert len(body["message"]) < 1000  # a huge value is quoted shortened
    _still_up(server)


def test_null_members_count_as_absent(server: RunningServer) -> None:
    status, _, body = post(server.url, "ListStateMachines", {"maxResults": None, "nextToken": None})
    assert status == 200 and isinstance(body["stateMachines"], list)


def test_unknown_members_are_ignored_as_aws_does(server: RunningServer) -> None:
    status, _, _ = post(server.url, "ListActivities", {"somethingNew": [1, {"a": 2}]})
    assert status == 200


def test_an_oversized_body_is_refused_unread(server: RunningServer) -> None:
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
            b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 104857600\r\n\r\n{"
        )
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    body = json.loads(payload)
    assert body["__type"] == "ValidationException"
    assert "exceeds the limit" in body["message"]
    _still_up(server)


def test_a_put_is_an_unknown_operation(server: RunningServer) -> None:
    # GET is the console's (tests/console); any other method than POST is not the API's.
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(urllib.request.Request(server.url, method="PUT"), timeout=10)
    assert answer.value.code == 400
    assert json.loads(answer.value.read())["__type"] == "UnknownOperationException"
    _still_up(server)


def test_the_signature_region_names_the_arns(server: RunningServer) -> None:
    authorization = (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-north-1/states/aws4_request, "
        "SignedHeaders=host, Signature=deadbeef"
    )
    status, _, body = post(
        server.url, "CreateActivity", {"name": "signed"}, headers={"Authorization": authorization}
    )
    assert status == 200
    assert body["activityArn"] == "arn:aws:states:eu-north-1:123456789012:activity:signed"
    assert isinstance(body["creationDate"], float | int)


def _exchange(server: RunningServer, raw: bytes) -> bytes:
    """Send `raw` and read until the server closes the connection."""
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(raw)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


_LIST = (
    b"X-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
    b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n"
)


def test_an_http_1_0_client_is_answered_and_the_connection_closed(
    server: RunningServer,
) -> None:
    answer = _exchange(server, b"POST / HTTP/1.0\r\n" + _LIST + b"\r\n{}")
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"Connection: close" in head
    assert "stateMachines" in json.loads(payload)


def test_expect_100_continue_gets_its_interim_answer(server: RunningServer) -> None:
    answer = _exchange(
        server,
        b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nConnection: close\r\n" + _LIST + b"\r\n{}",
    )
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200")


def test_a_broken_header_line_is_a_400_and_the_server_stays_up(server: RunningServer) -> None:
    answer = _exchange(server, b"POST / HTTP/1.1\r\nthis is not a header\r\n\r\n")
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert json.loads(payload)["__type"] == "SerializationException"
    _still_up(server)
