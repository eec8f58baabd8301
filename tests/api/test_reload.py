"""`phalanx serve --functions FILE.py --reload`: new executions call the edited code."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from tests.api.conftest import client
from tests.api.server import start

VERSION = """
import phalanx


@phalanx.function
def greet(event, context):
    return {greeting!r}


greeter = phalanx.StateMachine.of(phalanx.Task("Greet", greet), name="greeter")
"""


def _output(sfn: Any, arn: str) -> Any:
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    deadline = time.monotonic() + 20
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return json.loads(described["output"])


def test_an_edited_functions_file_serves_new_executions(tmp_path: Path) -> None:
    functions = tmp_path / "functions.py"
    functions.write_text(VERSION.format(greeting="hello"), encoding="utf-8")
    server = start(tmp_path / "phalanx.db", "--functions", str(functions), "--reload")
    try:
        sfn = client(server.url)
        arn = "arn:aws:states:us-east-1:123456789012:stateMachine:greeter"
        assert _output(sfn, arn) == "hello"  # the file's machine was created on start
        functions.write_text(VERSION.format(greeting="bonjour"), encoding="utf-8")
        later = functions.stat().st_mtime + 5
        os.utime(functions, (later, later))  # a new mtime even on a coarse clock
        deadline = time.monotonic() + 20
        while _output(sfn, arn) != "bonjour":
            assert time.monotonic() < deadline, "the edited file was not reloaded"
    finally:
        _, _, err = server.stop()
    assert "reloaded" in err
