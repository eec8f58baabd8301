"""Reading a request's head: what clients send must parse; what breaks the rules is refused."""

from __future__ import annotations

import io

import pytest

from phalanx.api.request_head import MAX_HEADERS, MAX_LINE, BadRequest, read_head


def _head(text: bytes):
    stream = io.BytesIO(text)
    return read_head(stream.readline(), stream)


def test_names_are_lower_case_and_values_trimmed() -> None:
    head = _head(
        b"POST / HTTP/1.1\r\nX-Amz-Target:  AWSStepFunctions.StartExecution \r\n"
        b"Content-Length: 2\r\n\r\n{}"
    )
    assert (head.method, head.path, head.version) == ("POST", "/", "HTTP/1.1")
    assert head.headers == {
        "x-amz-target": "AWSStepFunctions.StartExecution",
        "content-length": "2",
    }


def test_a_repeated_header_joins_its_values() -> None:
    head = _head(b"GET / HTTP/1.1\r\nAccept: a\r\naccept: b\r\n\r\n")
    assert head.headers["accept"] == "a, b"


@pytest.mark.parametrize(
    ("version", "connection", "keep"),
    [
        pytest.param("HTTP/1.1", "", True, id="1.1-default"),
        pytest.param("HTTP/1.1", "close", False, id="1.1-close"),
        pytest.param("HTTP/1.0", "", False, id="1.0-default"),
        pytest.param("HTTP/1.0", "Keep-Alive", True, id="1.0-keep-alive"),
    ],
)
def test_keep_alive_follows_the_version_and_connection(
    version: str, connection: str, keep: bool
) -> None:
    line = f"Connection: {connection}\r\n" if connection else ""
    head = _head(f"GET / {version}\r\n{line}\r\n".encode())
    assert head.keep_alive is keep


def test_a_double_slash_path_is_not_a_host() -> None:
    assert _head(b"GET //evil.example/x HTTP/1.1\r\n\r\n").path == "/evil.example/x"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        pytest.param(b"POST /\r\n\r\n", 400, id="no-version"),
        pytest.param(b"POST / HTTP/2.0\r\n\r\n", 505, id="http2"),
        pytest.param(b"POST / SPDY/3\r\n\r\n", 400, id="not-http"),
        pytest.param(b"POST / HTTP/1.1\r\nno colon\r\n\r\n", 400, id="no-colon"),
        pytest.param(b"POST / HTTP/1.1\r\n folded: x\r\n\r\n", 400, id="folded"),
        pytest.param(
            b"POST / HTTP/1.1\r\nX: " + b"a" * MAX_LINE + b"\r\n\r\n", 431, id="long-line"
        ),
        pytest.param(
            b"POST / HTTP/1.1\r\n" + b"X: y\r\n" * (MAX_HEADERS + 1) + b"\r\n",
            431,
            id="too-many",
        ),
    ],
)
def test_a_broken_head_is_refused_with_its_status(text: bytes, status: int) -> None:
    with pytest.raises(BadRequest) as refused:
        _head(text)
    assert refused.value.status == status
