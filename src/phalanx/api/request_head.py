"""Read an HTTP/1.x request line and headers, without the stdlib's email parser.

`http.server` parses headers with `email.feedparser`, which costs more than
the rest of a StartExecution together; the API only needs names and values.
The limits are the stdlib's (65,536 bytes a line, 100 headers), and so are
the rules of keep-alive: HTTP/1.1 keeps the connection unless `Connection:
close`, HTTP/1.0 closes it unless `Connection: keep-alive`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

MAX_LINE = 65536
MAX_HEADERS = 100


class Lines(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class RequestHead:
    method: str
    path: str
    version: str
    headers: dict[str, str]
    """Lower-case names; a repeated header's values joined with ", " (RFC 9110 5.3)."""

    @property
    def keep_alive(self) -> bool:
        connection = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return connection == "keep-alive"
        return connection != "close"


class BadRequest(Exception):
    """The request cannot be read; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def parse_request_line(line: bytes) -> tuple[str, str, str]:
    """Method, path and version of `METHOD PATH HTTP/1.x`."""
    words = line.decode("iso-8859-1").rstrip("\r\n").split()
    if len(words) != 3:
        raise BadRequest(400, f"Bad request syntax ({line[:100]!r})")
    method, path, version = words
    if version not in ("HTTP/1.0", "HTTP/1.1"):
        if version.startswith("HTTP/2") or version.startswith("HTTP/3"):
            raise BadRequest(505, f"Invalid HTTP version ({version})")
        raise BadRequest(400, f"Bad request version ({version!r})")
    if path.startswith("//"):  # not a scheme-relative URL (as http.server, gh-87389)
        path = "/" + path.lstrip("/")
    return method, path, version


def read_headers(stream: Lines) -> dict[str, str]:
    """The header block up to the empty line, names lower-cased."""
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        line = stream.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise BadRequest(431, "Line too long")
        if line in (b"\r\n", b"\n", b""):
            return headers
        name, colon, value = line.decode("iso-8859-1").partition(":")
        if not colon or not name or name != name.strip():
            raise BadRequest(400, f"Bad header line ({line[:100]!r})")
        key = name.lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    raise BadRequest(431, f"More than {MAX_HEADERS} headers")


def read_head(request_line: bytes, stream: Lines) -> RequestHead:
    method, path, version = parse_request_line(request_line)
    return RequestHead(method, path, version, read_headers(stream))
