"""`arn:aws:states:::http:invoke`: the HTTP task, called for real only when the run allows it.

The request is built as AWS documents ("Call third-party APIs"):
`ApiEndpoint`, `Method`, `Headers`, `QueryParameters` and `RequestBody`
(JSON unless `Transform.RequestBodyEncoding` is `URL_ENCODED`); the result
is `{"Headers", "ResponseBody", "StatusCode", "StatusText"}`, the body
parsed when it is JSON. A status outside 2xx fails the task with
`States.Http.StatusCode.<code>` and the response as JSON text in the cause.

`Authentication.ConnectionArn` names an EventBridge connection, whose
secrets live in AWS. Locally they come from a JSON file: the one
`PHALANX_HTTP_CONNECTIONS` names, else `~/.phalanx/connections.json`,
mapping the connection's name (the part of the ARN after `connection/`,
without its id) or its whole ARN to what it adds to each request:

    {"github": {"headers": {"Authorization": "Bearer ..."}, "query": {"api-version": "2"}}}

Their values are sent, never printed or recorded in the history.
"""

from __future__ import annotations

import dataclasses
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from phalanx.engine.effects import CallService, ServiceResponse
from phalanx.services.failures import runtime

TIMEOUT_SECONDS = 60.0
"""How long an HTTP task waits for an answer (AWS: 60 seconds)."""


def connections_file() -> Path:
    configured = os.environ.get("PHALANX_HTTP_CONNECTIONS")
    return Path(configured) if configured else Path.home() / ".phalanx" / "connections.json"


def connection_secrets(arn: str) -> dict[str, Any] | None:
    """What the connection `arn` adds to requests, from the connections file (None: not there)."""
    path = connections_file()
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    name = arn.split("connection/", 1)[-1].split("/", 1)[0]
    found = table.get(arn, table.get(name))
    return found if isinstance(found, dict) else None


class HttpTask:
    """Calls `http:invoke` endpoints (given to the run only with `--http` / `http=True`)."""

    def __call__(self, request: CallService) -> ServiceResponse:
        parameters = request.parameters if isinstance(request.parameters, dict) else {}
        endpoint = parameters.get("ApiEndpoint")
        if not isinstance(endpoint, str):
            return runtime(f"State '{request.state}': http:invoke needs an ApiEndpoint")
        method = str(parameters.get("Method", "GET")).upper()
        headers = {str(k): str(v) for k, v in (parameters.get("Headers") or {}).items()}
        query = dict(parameters.get("QueryParameters") or {})
        arn = (parameters.get("Authentication") or {}).get("ConnectionArn")
        if isinstance(arn, str):
            secrets = connection_secrets(arn)
            if secrets is None:
                return ServiceResponse(
                    error="States.Runtime",
                    cause=(
                        f"State '{request.state}': no credentials for connection {arn} in "
                        f"{connections_file()} (see docs/services.md, HTTP tasks)"
                    ),
                )
            headers.update({str(k): str(v) for k, v in secrets.get("headers", {}).items()})
            query.update(secrets.get("query", {}))
        body = parameters.get("RequestBody")
        data = None
        if body is not None:
            encoding = (parameters.get("Transform") or {}).get("RequestBodyEncoding")
            if encoding == "URL_ENCODED" and isinstance(body, dict):
                data = urllib.parse.urlencode(body).encode()
                headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            else:
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                headers.setdefault("Content-Type", "application/json; charset=UTF-8")
        url = endpoint
        if query:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
        try:
            reply = exchange(method, url, headers, data)
        except OSError as error:
            reason = getattr(error, "reason", error)
            return ServiceResponse(
                error="States.Http.Socket", cause=f"Unable to reach {endpoint}: {reason}"
            )
        result = reply.shown()
        result["StatusCode"] = str(reply.status)
        if not 200 <= reply.status < 300:
            return ServiceResponse(
                error=f"States.Http.StatusCode.{reply.status}", cause=json.dumps(result)
            )
        return ServiceResponse(output=result)


@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer: status, reason, headers (each name with its values), body (JSON if it is)."""

    status: int
    reason: str
    headers: dict[str, list[str]]
    body: Any

    def shown(self) -> dict[str, Any]:
        """`{"Headers", "ResponseBody", "StatusCode", "StatusText"}` as Step Functions shows it."""
        return {
            "Headers": self.headers,
            "ResponseBody": self.body,
            "StatusCode": self.status,
            "StatusText": self.reason,
        }


def exchange(method: str, url: str, headers: dict[str, str], data: bytes | None) -> Reply:
    """Send one request; any status is a `Reply`; `OSError` when the host cannot be reached."""
    call = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(call, timeout=TIMEOUT_SECONDS) as answer:
            return _reply(answer.status, answer.reason, answer)
    except urllib.error.HTTPError as error:
        return _reply(error.code, str(error.reason), error)


def _reply(status: int, reason: str, answer: Any) -> Reply:
    text = answer.read().decode("utf-8", errors="replace")
    try:
        body: Any = json.loads(text) if text else ""
    except ValueError:
        body = text
    headers: dict[str, list[str]] = {}
    for key, value in answer.headers.items():
        headers.setdefault(key, []).append(value)
    return Reply(status, reason, headers, body)
