"""Which page answers which request; every answer is a `Reply`, never an exception.

GET pages and the live JSON; POST the start and stop forms (then a redirect
to the page that shows the result, so a reload does not send the form again).
A POST from another site's page is refused: the console has no login, and
a page elsewhere must not start or stop executions through the visitor's
browser (its `Origin` header names that site).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

from phalanx.api.context import Service
from phalanx.api.errors import ApiError
from phalanx.api.protocol import Reply
from phalanx.console import assets
from phalanx.console.calls import call, serves
from phalanx.console.execution import execution_page, live
from phalanx.console.home import home
from phalanx.console.machine import machine_page, start
from phalanx.console.markup import SCRIPT, STYLESHEET, escape, page, url

_LOG = logging.getLogger("phalanx.console")
_HTML = "text/html; charset=utf-8"
_SECURITY = {
    # Everything the pages use comes from this server; nothing may frame them.
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_NOT_FOUND = {"StateMachineDoesNotExist", "ExecutionDoesNotExist", "ResourceNotFound"}

Query = Mapping[str, str]


def handle(
    service: Service, method: str, target: str, headers: Mapping[str, str], body: bytes
) -> Reply:
    """Answer one console request. `headers` has lower-case names; `target` is the request path."""
    parts = urlsplit(target)
    query = _fields(parts.query)
    try:
        if method == "GET":
            return _get(service, parts.path, query)
        if method == "POST":
            return _post(service, parts.path, headers, _fields(body.decode("utf-8", "replace")))
        return _page(405, "Not allowed", f"{method} is not used by the console.")
    except ApiError as error:
        status = 404 if error.code in _NOT_FOUND else 400
        return _page(status, error.code, error.message)
    except Exception:
        _LOG.exception("the console failed answering %s %s", method, target)
        return _page(500, "Console error", "Phalanx failed; see the server log.")


def _get(service: Service, path: str, query: Query) -> Reply:
    if path == "/":
        return _html(200, home(service))
    if path == "/machine":
        return _html(200, machine_page(service, query.get("arn", "")))
    if path == "/execution":
        return _html(200, execution_page(service, query.get("arn", "")))
    if path == "/execution/live":
        answer = live(service, query.get("arn", ""), query.get("since", ""))
        return _reply(200, "application/json", json.dumps(answer).encode())
    if path == STYLESHEET:
        return _reply(200, "text/css; charset=utf-8", assets.CSS.encode())
    if path == SCRIPT:
        return _reply(200, "text/javascript; charset=utf-8", assets.JS.encode())
    return _page(404, "Not found", f"The console has no page {path}.")


def _post(service: Service, path: str, headers: Mapping[str, str], form: Query) -> Reply:
    origin = headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != headers.get("host"):
        return _page(403, "Refused", f"A form sent from {origin} cannot act on this console.")
    arn = form.get("arn", "")
    if path == "/machine/start":
        started, problems = start(service, form)
        if started is None:
            return _html(400, machine_page(service, arn, entered=form, problems=problems))
        return _see(url("/execution", arn=started))
    actions: dict[str, Callable[[], object]] = {
        "/execution/stop": lambda: call(service, "StopExecution", {"executionArn": arn}),
    }
    if serves("RedriveExecution"):
        actions["/execution/redrive"] = lambda: call(
            service, "RedriveExecution", {"executionArn": arn}
        )
    action = actions.get(path)
    if action is None:
        return _page(404, "Not found", f"The console has no action {path}.")
    action()
    return _see(url("/execution", arn=arn))


def _fields(text: str) -> dict[str, str]:
    """A query string or form body as one value per name (the last one sent)."""
    return {name: values[-1] for name, values in parse_qs(text, keep_blank_values=True).items()}


def _see(location: str) -> Reply:
    return _reply(303, "text/plain; charset=utf-8", b"", Location=location)


def _page(status: int, title: str, message: str) -> Reply:
    body = f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
    return _html(status, page(title, body, trail=[("/", "State machines")]))


def _html(status: int, text: str) -> Reply:
    return _reply(status, _HTML, text.encode("utf-8"))


def _reply(status: int, content_type: str, body: bytes, **more: str) -> Reply:
    headers = {"Content-Type": content_type, "Content-Length": str(len(body)), **_SECURITY}
    return Reply(status, {**headers, **more}, body)
