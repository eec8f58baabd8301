"""`phalanx run` options for service integrations: --aws, --endpoint-url, and their failures."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from phalanx.cli.main import cli

PUBLISH = {
    "StartAt": "Notify",
    "States": {
        "Notify": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:news", "Message": "hi"},
            "End": True,
        }
    },
}


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    path = tmp_path / "notify.json"
    path.write_text(json.dumps(PUBLISH))
    return path


def test_aws_without_boto3_says_which_extra_to_install(
    machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)
    result = CliRunner().invoke(cli, ["run", str(machine), "--aws"])
    assert result.exit_code == 1
    assert "pip install 'phalanx[aws]'" in result.output


def test_without_aws_the_cause_names_the_options(machine: Path) -> None:
    result = CliRunner().invoke(cli, ["run", str(machine)])
    assert result.exit_code == 1
    assert "--aws" in result.output and "--endpoint-url" in result.output


def test_the_plan_goes_to_stderr_with_json_output(
    machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A closed port on loopback: the call fails, which is all this test needs.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    result = CliRunner().invoke(
        cli,
        [
            "run",
            str(machine),
            "--endpoint-url",
            closed,
            "--region",
            "us-east-1",
            "--format",
            "json",
        ],
    )
    assert "sns:publish in Notify  [TopicArn=arn:aws:sns:us-east-1:123456789012:news]" in (
        result.stderr
    )
    document = json.loads(result.stdout)
    assert document["error"] == "SNS.SdkClientException"
