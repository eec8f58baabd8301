"""`http:invoke` calls its endpoint only when allowed, with secrets from the connections file."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import phalanx

SEEN: list[dict[str, Any]] = []


class Echo(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        SEEN.append(
            {"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)}
        )
        status = 404 if "/missing" in self.path else 200
        body = json.dumps({"echo": json.loads(SEEN[-1]["body"])}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def machine(url: str) -> dict[str, Any]:
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {
                    "ApiEndpoint": url,
                    "Method": "POST",
                    "QueryParameters": {"q": "1"},
                    "RequestBody": {"order": 5},
                    "Authentication": {
                        "ConnectionArn": "arn:aws:events:us-east-1:1:connection/shop/abc"
                    },
                },
                "End": True,
            }
        },
    }


@pytest.fixture
def connections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "connections.json"
    path.write_text(json.dumps({"shop": {"headers": {"Authorization": "Bearer s3cret"}}}))
    monkeypatch.setenv("PHALANX_HTTP_CONNECTIONS", str(path))
    return path


def test_http_invoke_calls_the_endpoint_with_the_connections_secret(
    endpoint: str, connections: Path
) -> None:
    execution = phalanx.run(machine(endpoint + "/orders"), {}, fast=True, http=True)
    assert execution.status == "SUCCEEDED"
    assert execution.output["ResponseBody"] == {"echo": {"order": 5}}
    assert (execution.output["StatusCode"], execution.output["StatusText"]) == ("200", "OK")
    assert SEEN[-1]["path"] == "/orders?q=1"
    assert SEEN[-1]["headers"]["Authorization"] == "Bearer s3cret"
    assert "s3cret" not in json.dumps(execution.history)


def test_a_status_outside_2xx_fails_with_the_status_in_the_error(
    endpoint: str, connections: Path
) -> None:
    execution = phalanx.run(machine(endpoint + "/missing"), {}, fast=True, http=True)
    assert execution.error == "States.Http.StatusCode.404"
    assert json.loads(execution.cause or "")["StatusCode"] == "404"


def test_without_http_nothing_is_called(endpoint: str, connections: Path) -> None:
    before = len(SEEN)
    execution = phalanx.run(machine(endpoint + "/orders"), {}, fast=True)
    assert execution.error == "States.Runtime"
    assert "--http" in (execution.cause or "")
    assert len(SEEN) == before


def gateway(endpoint: str, path: str) -> dict[str, Any]:
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::apigateway:invoke",
                "Parameters": {
                    "ApiEndpoint": endpoint.removeprefix("http://"),
                    "Method": "POST",
                    "Stage": "prod",
                    "Path": path,
                    "QueryParameters": {"tag": ["a", "b"]},
                    "RequestBody": {"order": 9},
                    "AuthType": "IAM_ROLE",
                },
                "End": True,
            }
        },
    }


def test_apigateway_invoke_signs_the_call_and_shapes_the_reply(
    endpoint: str, session: Any, moto_url: str
) -> None:
    execution = phalanx.run(
        gateway(endpoint, "orders"), {}, fast=True, aws=session, endpoint_url=moto_url
    )
    assert execution.status == "SUCCEEDED", execution.cause
    assert execution.output["ResponseBody"] == {"echo": {"order": 9}}
    assert (execution.output["StatusCode"], execution.output["StatusText"]) == (200, "OK")
    assert execution.output["Headers"]["Content-Type"] == ["application/json"]
    seen = SEEN[-1]
    assert seen["path"] == "/prod/orders?tag=a&tag=b"
    assert seen["headers"]["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=")
    assert "/execute-api/aws4_request" in seen["headers"]["Authorization"]


def test_apigateway_invoke_fails_with_the_status(
    endpoint: str, session: Any, moto_url: str
) -> None:
    execution = phalanx.run(
        gateway(endpoint, "missing"), {}, fast=True, aws=session, endpoint_url=moto_url
    )
    assert execution.error == "ApiGateway.404"
    assert json.loads(execution.cause or "")["StatusCode"] == 404
