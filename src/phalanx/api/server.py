"""The HTTP server: threads answer requests, `serve` runs until SIGTERM or Ctrl-C.

A thread per connection (stdlib `ThreadingHTTPServer`, no dependency); the
store serialises writes. Stopping closes the listening socket, lets requests
in flight finish (up to `DRAIN_SECONDS`), answers late ones on kept-alive
connections with 503, then closes the database and releases its lock.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

from phalanx.api import executions
from phalanx.api.context import DEFAULT_ACCOUNT, DEFAULT_REGION, Context, Service
from phalanx.api.errors import ApiError, serialization
from phalanx.api.protocol import MAX_REQUEST_BYTES, Reply, refuse, respond, too_large
from phalanx.api.request_head import BadRequest, RequestHead, read_head
from phalanx.api.workspace import Functions, mock_lookup, watch
from phalanx.errors import ChildRefused
from phalanx.runtime.clock import Clock, RealClock
from phalanx.runtime.driver import ServiceHandler
from phalanx.runtime.durable import Runtime
from phalanx.runtime.lambdas import FunctionInvoker
from phalanx.services import Connection, Services
from phalanx.services.http import HttpTask
from phalanx.services.server_children import ServerChildren
from phalanx.store import Database

DRAIN_SECONDS = 10.0
"""How long a stopping server waits for requests in flight."""
IDLE_CONNECTION_SECONDS = 120
"""A kept-alive connection with no request for this long is closed."""

Pages = Callable[[Service, str, str, Mapping[str, str], bytes], Reply]
"""Web pages served beside the API (the console): (service, method, path, headers, body).

They answer GET requests, and POSTs to a path other than `/` without an
`X-Amz-Target`; everything else is the API's.
"""


class ApiServer(ThreadingHTTPServer):
    """The Step Functions API on one address, answering from one `Service`."""

    daemon_threads = True
    # socketserver's default backlog of 5 resets connections under a burst of clients.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        service: Service,
        *,
        verbose: bool = False,
        pages: Pages | None = None,
    ):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.service = service
        self.pages = pages
        self.verbose = verbose
        self.stopping = False
        self._busy = 0
        self._idle = threading.Condition()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        address, port = self.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else str(address)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    @contextlib.contextmanager
    def in_flight(self) -> Iterator[None]:
        with self._idle:
            self._busy += 1
        try:
            yield
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def drain(self, timeout: float = DRAIN_SECONDS) -> bool:
        """Refuse new requests and wait for those in flight; False if some still run."""
        self.stopping = True
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs expect
    server_version = "Phalanx"
    timeout = IDLE_CONNECTION_SECONDS
    # No Nagle delay on a reply (40 ms per request on Linux with the client's
    # delayed ACK), and the reply buffered so that it leaves in one send.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # flushed by `handle_one_request` when the reply is written
    server: ApiServer
    raw_requestline: bytes
    head: RequestHead

    def parse_request(self) -> bool:
        """Read the request line and headers (`request_head`, not the email parser)."""
        self.command = ""
        self.request_version = "HTTP/1.1"  # so that a refusal has a status line
        self.close_connection = True
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        try:
            self.head = read_head(self.raw_requestline, self.rfile)
        except BadRequest as error:
            self._send(refuse(ApiError("SerializationException", str(error), status=error.status)))
            return False
        self.command, self.path = self.head.method, self.head.path
        self.request_version = self.head.version
        self.close_connection = not self.head.keep_alive
        expect = self.head.headers.get("expect", "").lower()
        if expect == "100-continue" and self.request_version == "HTTP/1.1":
            return self.handle_expect_100()
        return True

    def do_POST(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def do_OPTIONS(self) -> None:
        self._answer()

    def _answer(self) -> None:
        with self.server.in_flight():
            self._send(self._reply())

    def _reply(self) -> Reply:
        if self.server.stopping:
            self.close_connection = True
            return refuse(ApiError("ServiceUnavailable", "Phalanx is stopping", status=503))
        headers = self.head.headers
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self.close_connection = True
            return refuse(serialization("Chunked request bodies are not supported"))
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            return refuse(serialization("Content-Length is not a number of bytes"))
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True  # the body is not read: the connection can't be reused
            return refuse(too_large(length))
        body = self.rfile.read(length)
        pages = self.server.pages
        if pages is not None and _is_page_request(self.command, self.path, headers):
            return pages(self.server.service, self.command, self.path, headers, body)
        return respond(self.server.service, self.command, headers, body)

    def _send(self, reply: Reply) -> None:
        """Status line, headers and body in one write (what `send_response` and
        `send_header` would write, without building it a line at a time)."""
        self.log_request(reply.status)
        phrase = self.responses.get(reply.status, ("",))[0]
        lines = [f"{self.protocol_version} {reply.status} {phrase}", *_server_headers()]
        lines.extend(f"{name}: {value}" for name, value in reply.headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        lines.append("\r\n")
        self.wfile.write("\r\n".join(lines).encode("latin-1", "strict") + reply.body)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


def _server_headers() -> tuple[str, str]:
    """`Server` and `Date` (RFC 9110's IMF-fixdate)."""
    return f"Server: {_Handler.server_version}", _date_line(int(time.time()))


@functools.lru_cache(maxsize=1)
def _date_line(second: int) -> str:
    """Made once a second, not once a reply."""
    return f"Date: {email.utils.formatdate(second, usegmt=True)}"


def _is_page_request(method: str, path: str, headers: Mapping[str, str]) -> bool:
    if method == "GET":
        return True
    return method == "POST" and "x-amz-target" not in headers and path.split("?")[0] != "/"


@contextlib.contextmanager
def _stop_on_signals(server: ApiServer) -> Iterator[None]:
    """SIGTERM and SIGINT make `serve_forever` return, once; later signals are ignored.

    The handler raises nothing (an exception raised at an arbitrary point of the
    accept loop could be swallowed by socketserver's error handling); it asks a
    helper thread to call `shutdown()`, which waits for the loop to end.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signals only reach the main thread; whoever runs us elsewhere stops us
        return
    requested = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        if not requested.is_set():
            requested.set()
            threading.Thread(target=server.shutdown, name="phalanx-stop", daemon=True).start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _children(service: Service) -> ServerChildren:
    """Children started as StartExecution starts executions, in the parent's region."""

    def start_execution(region: str, request: dict[str, Any]) -> str:
        try:
            started = executions.start(Context(service, region), request)
        except ApiError as error:
            raise ChildRefused(error.code, error.message) from None
        return str(started["executionArn"])

    return ServerChildren(service.db, start_execution, DEFAULT_REGION, service.account)


def serve(
    db_path: str | Path,
    host: str,
    port: int,
    *,
    on_ready: Callable[[ApiServer], None] = lambda server: None,
    clock: Clock | None = None,
    verbose: bool = False,
    functions_file: Path | None = None,
    mock_config: Path | None = None,
    reload: bool = False,
    services: ServiceHandler | None = None,
    account: str = DEFAULT_ACCOUNT,
    pages: Pages | None = None,
    aws: Connection | None = None,
    http: bool = False,
) -> None:
    """Serve the API from the database at `db_path` until SIGTERM or Ctrl-C.

    Raises `DatabaseLocked` if another server holds the database, `OSError`
    if the address cannot be bound, `LoadError` if `functions_file` or
    `mock_config` cannot be read. `on_ready` is called once the socket
    listens; RUNNING executions resume before it. `services` answers
    integrations other than Lambda (the seam `phalanx.run()` has too); by
    default `phalanx.services` answers them, through boto3 with `aws` (and
    `http:invoke` with `http`), failing with a message naming these options
    without. Nested machines the server knows always run as its executions.
    `pages` answers GET requests (`phalanx serve` passes the console).
    """
    clock = clock or RealClock()
    mocks = mock_lookup(mock_config)
    functions = Functions(functions_file, clock) if functions_file is not None else None
    db = Database.open(db_path, exclusive=True)
    stopped = threading.Event()
    runtime = Runtime(
        db,
        clock,
        functions.invoker if functions is not None else FunctionInvoker({}, clock),
        mocks=mocks,
    )
    try:
        service = Service(db, clock, account, runtime)
        runtime.children = children = _children(service)
        if services is None:
            handler = Services(aws, clock, children=children, http=HttpTask() if http else None)
            runtime.services, runtime.send = handler, handler.submit
        else:
            runtime.services = services
        if functions is not None:
            functions.install(Context(service))
            if reload:
                watch(functions, runtime, Context(service), stopped)
        runtime.start()
        server = ApiServer((host, port), service, verbose=verbose, pages=pages)
        with server, _stop_on_signals(server):
            try:
                on_ready(server)
                server.serve_forever(poll_interval=0.2)
            finally:
                stopped.set()
                runtime.close_polls()
                server.drain()
    finally:
        runtime.stop()
        db.close()
