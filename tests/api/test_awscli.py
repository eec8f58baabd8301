"""A smoke test through the AWS CLI, unchanged but for `--endpoint-url`.

Skipped where the AWS CLI is missing; CI installs `awscli` from PyPI.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import PASS, ROLE
from tests.api.server import RunningServer


def _aws_command() -> list[str]:
    if importlib.util.find_spec("awscli") is not None:
        return [sys.executable, "-m", "awscli"]
    found = shutil.which("aws")
    if found is None:
        pytest.skip("the AWS CLI is not installed (pip install awscli); CI installs it")
    return [found]


def _aws(server: RunningServer, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "anything",
        "AWS_SECRET_ACCESS_KEY": "anything",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        # TestState and StartSyncExecution go to a `sync-` host prefix that a local
        # address cannot resolve; botocore's setting turns it off.
        "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
    }
    env.pop("AWS_PROFILE", None)
    return subprocess.run(
        [*_aws_command(), "stepfunctions", *args, "--endpoint-url", server.url, "--output", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_aws_cli_creates_lists_and_describes(server: RunningServer, tmp_path: Path) -> None:
    definition = tmp_path / "machine.asl.json"
    definition.write_text(PASS)
    created = _json(
        _aws(
            server,
            tmp_path,
            "create-state-machine",
            "--name",
            "from-the-cli",
            "--definition",
            f"file://{definition}",
            "--role-arn",
            ROLE,
        )
    )
    arn = created["stateMachineArn"]
    listed = _json(_aws(server, tmp_path, "list-state-machines"))
    assert arn in [m["stateMachineArn"] for m in listed["stateMachines"]]
    described = _json(_aws(server, tmp_path, "describe-state-machine", "--state-machine-arn", arn))
    assert described["definition"] == PASS
    missing = _aws(
        server, tmp_path, "describe-state-machine", "--state-machine-arn", arn + "-absent"
    )
    assert missing.returncode != 0
    assert "(StateMachineDoesNotExist)" in missing.stderr


def test_the_aws_cli_starts_an_execution_and_reads_its_history(
    server: RunningServer, tmp_path: Path
) -> None:
    definition = tmp_path / "machine.asl.json"
    definition.write_text(PASS)
    arn = _json(
        _aws(
            server,
            tmp_path,
            "create-state-machine",
            "--name",
            "cli-runs",
            "--definition",
            f"file://{definition}",
            "--role-arn",
            ROLE,
        )
    )["stateMachineArn"]
    started = _json(
        _aws(server, tmp_path, "start-execution", "--state-machine-arn", arn, "--input", '{"a":1}')
    )
    execution = started["executionArn"]
    # The AWS CLI pages through the whole history; the last event ends the execution.
    for _ in range(100):
        events = _json(
            _aws(server, tmp_path, "get-execution-history", "--execution-arn", execution)
        )
        if events["events"][-1]["type"] == "ExecutionSucceeded":
            break
    else:
        pytest.fail("the execution did not end")
    described = _json(_aws(server, tmp_path, "describe-execution", "--execution-arn", execution))
    assert (described["status"], described["output"]) == ("SUCCEEDED", '{"a":1}')


def test_the_aws_cli_tests_a_state(server: RunningServer, tmp_path: Path) -> None:
    state = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericGreaterThan": 9, "Next": "Big"}],
        "Default": "Small",
    }
    tested = _json(
        _aws(
            server,
            tmp_path,
            "test-state",
            "--definition",
            json.dumps(state),
            "--input",
            '{"n": 10}',
            "--inspection-level",
            "DEBUG",
        )
    )
    assert (tested["status"], tested["nextState"]) == ("SUCCEEDED", "Big")
    assert json.loads(tested["inspectionData"]["input"]) == {"n": 10}
