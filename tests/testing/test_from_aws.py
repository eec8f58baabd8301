"""--from-aws: the history fetched page by page through boto3 (a stand-in client here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from phalanx.deploy.aws import Connection
from phalanx.deploy.history import fetch_history, region_of
from phalanx.testing import replay
from tests.testing.machines import ORDERS, record

EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:Orders:order-1"


class Paginator:
    def __init__(self, pages: list[dict[str, Any]], calls: list[dict[str, Any]]) -> None:
        self.pages = pages
        self.calls = calls

    def paginate(self, **request: Any) -> list[dict[str, Any]]:
        self.calls.append(request)
        return self.pages


class StepFunctions:
    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self.pages = pages
        self.calls: list[dict[str, Any]] = []

    def get_paginator(self, operation: str) -> Paginator:
        assert operation == "get_execution_history"
        return Paginator(self.pages, self.calls)


def test_every_page_is_fetched_oldest_first_with_execution_data() -> None:
    events = record(amount=150)["history"]
    client = StepFunctions([{"events": events[:4]}, {"events": events[4:]}])
    connection = Connection(clients={"stepfunctions": client})
    document = fetch_history(connection, EXECUTION)
    assert document == {"events": events}
    assert client.calls == [
        {"executionArn": EXECUTION, "reverseOrder": False, "includeExecutionData": True}
    ]
    assert replay(ORDERS, document, execution_arn=EXECUTION).identical


def test_the_region_comes_from_the_execution_arn() -> None:
    assert region_of(EXECUTION) == "eu-west-1"
    assert region_of("not-an-arn") is None


def test_the_execution_arn_names_the_replayed_execution(tmp_path: Path) -> None:
    named = json.loads(json.dumps(ORDERS))
    named["States"]["Approve"] = {
        "Type": "Pass",
        "Parameters": {"name.$": "$$.Execution.Name", "machine.$": "$$.StateMachine.Name"},
        "ResultPath": "$.review",
        "Next": "Done",
    }
    report = replay(named, record(amount=10), execution_arn=EXECUTION)
    assert report.difference is not None  # recorded under another name
    output = json.loads(report.history[-1]["executionSucceededEventDetails"]["output"])
    assert output["review"] == {"name": "order-1", "machine": "Orders"}


def test_an_unreachable_endpoint_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from click.testing import CliRunner

    from phalanx.cli.main import cli

    for name, value in {
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "y",
        "AWS_MAX_ATTEMPTS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "orders.json").write_text(json.dumps(ORDERS))
    arguments = ["replay", str(tmp_path / "orders.json"), "--from-aws", EXECUTION]
    result = CliRunner().invoke(cli, [*arguments, "--endpoint-url", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach AWS")
    assert len(result.output.strip().splitlines()) == 1
