"""`protocol.respond` in-process: every failure becomes an AWS-shaped reply."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from phalanx.api import dispatch
from phalanx.api.context import Context, Service
from phalanx.api.operations import Operation
from phalanx.api.protocol import region_of, respond
from phalanx.api.shapes import structure
from phalanx.runtime.clock import VirtualClock
from phalanx.store import Database


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    with Database.open(tmp_path / "phalanx.db") as db:
        yield Service(db, VirtualClock(1_700_000_000.25))


def _call(service: Service, operation: str, body: Any) -> tuple[int, dict[str, str], Any]:
    headers = {"x-amz-target": f"AWSStepFunctions.{operation}"}
    reply = respond(service, "POST", headers, json.dumps(body).encode())
    return reply.status, reply.headers, json.loads(reply.body)


def test_a_bug_in_a_handler_is_an_internal_failure_not_a_crash(
    service: Service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(context: Context, request: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("oops")

    monkeypatch.setitem(dispatch.OPERATIONS, "ListActivities", Operation(structure(), broken))
    status, headers, body = _call(service, "ListActivities", {})
    assert status == 500
    assert body["__type"] == headers["x-amzn-ErrorType"] == "InternalFailure"
    assert "KeyError" in caplog.text


def test_dates_are_epoch_seconds_from_the_service_clock(service: Service) -> None:
    status, _, body = _call(service, "CreateActivity", {"name": "timed"})
    assert status == 200
    assert body["creationDate"] == 1_700_000_000.25


@pytest.mark.parametrize(
    ("authorization", "region"),
    [
        pytest.param(
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/ap-northeast-2/states/aws4_request, "
            "SignedHeaders=host, Signature=x",
            "ap-northeast-2",
            id="signed",
        ),
        pytest.param("", "us-east-1", id="unsigned"),
        pytest.param("Bearer token", "us-east-1", id="not-sigv4"),
    ],
)
def test_the_region_comes_from_the_credential_scope(authorization: str, region: str) -> None:
    assert region_of({"authorization": authorization}) == region
