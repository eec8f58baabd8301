"""Kill -9 the server again and again: nothing is lost, nothing committed runs twice.

A few hundred executions mix a Lambda task, a real Wait, a Parallel with a
Lambda branch, a Map of Lambda iterations and a callback the test answers
with SendTaskSuccess. The server is killed with SIGKILL at random moments
and restarted on the same database. Then every execution must have ended
with the output its input calls for; its history ids must run 1..N with no
gap or duplicate; and every Lambda run (the functions append a line per
run) must be accounted for by a committed `...Started` event: a Task whose
result was committed is never run again, an interrupted one may be, and
then its history shows the second start.
"""

from __future__ import annotations

import json
import random
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import client
from tests.api.server import RunningServer, start

EXECUTIONS = 200
KILLS = 4
FINISH_SECONDS = 60.0

FUNCTIONS = """
import json
import time

import phalanx

LOG = {log!r}


@phalanx.function
def work(event, context):
    time.sleep(0.05)  # long enough that a kill finds calls in flight
    with open(LOG, "a") as log:
        log.write(json.dumps([event["execution"], event["state"], event.get("item")]) + "\\n")
    return event["n"] * 2 + (event.get("item") or 0)
"""


def _task(state: str, **extra: Any) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
        "Parameters": {"execution.$": "$$.Execution.Name", "state": state, "n.$": "$.n", **extra},
    }


MACHINE = {
    "StartAt": "Prep",
    "States": {
        "Prep": {**_task("Prep"), "ResultPath": "$.prep", "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Both"},
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Side", "States": {"Side": {**_task("Side"), "End": True}}},
                {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}},
            ],
            "ResultSelector": {"side.$": "$[0]"},
            "ResultPath": "$.both",
            "Next": "Fan",
        },
        "Fan": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemSelector": {"n.$": "$.n", "item.$": "$$.Map.Item.Value"},
            "ItemProcessor": {
                "StartAt": "Each",
                "States": {"Each": {**_task("Each", **{"item.$": "$.item"}), "End": True}},
            },
            "ResultPath": "$.fan",
            "Next": "Ask",
        },
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "ResultPath": "$.answer",
            "End": True,
        },
    },
}


def _expected(n: int, name: str) -> dict[str, Any]:
    return {
        "n": n,
        "items": [1, 2, 3],
        "prep": n * 2,
        "both": {"side": n * 2},
        "fan": [n * 2 + 1, n * 2 + 2, n * 2 + 3],
        "answer": {"ok": name},
    }


class Crashes:
    """The server being killed and restarted; calls retried across the gaps."""

    def __init__(self, db: Path, functions: Path) -> None:
        self.db = db
        self.functions = functions
        self.server: RunningServer = start(db, "--functions", str(functions))
        self.sfn = client(self.server.url)
        self.kills = 0

    def kill_and_restart(self) -> None:
        self.server.process.send_signal(signal.SIGKILL)
        self.server.process.communicate()
        self.kills += 1
        self.server = start(self.db, "--functions", str(self.functions))
        self.sfn = client(self.server.url)

    def call(self, operation: str, **request: Any) -> Any:
        """One call, retried while the server is down (tests call this between kills)."""
        deadline = time.monotonic() + 30
        while True:
            try:
                return getattr(self.sfn, operation)(**request)
            except Exception as error:
                if "Could not connect" not in str(error) and "Connection" not in str(error):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


def _answer_callbacks(crashes: Crashes, arns: list[str], answered: set[str]) -> None:
    """SendTaskSuccess for every execution waiting on its token."""
    for arn in arns:
        if arn in answered:
            continue
        events = _history(crashes, arn)
        scheduled = [e for e in events if e["type"] == "TaskScheduled"]
        if not scheduled:
            continue
        parameters = json.loads(scheduled[0]["taskScheduledEventDetails"]["parameters"])
        token = parameters["MessageBody"]["token"]
        crashes.call(
            "send_task_success", taskToken=token, output=json.dumps({"ok": arn.split(":")[-1]})
        )
        answered.add(arn)


def _history(crashes: Crashes, arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    request: dict[str, Any] = {"executionArn": arn, "maxResults": 1000}
    while True:
        page = crashes.call("get_execution_history", **request)
        events.extend(page["events"])
        if "nextToken" not in page:
            return events
        request["nextToken"] = page["nextToken"]


@pytest.mark.slow
def test_executions_survive_kill_9_without_losing_or_repeating_committed_work(
    tmp_path: Path,
) -> None:
    log = tmp_path / "runs.log"
    functions = tmp_path / "functions.py"
    functions.write_text(FUNCTIONS.format(log=str(log)), encoding="utf-8")
    crashes = Crashes(tmp_path / "phalanx.db", functions)
    try:
        machine = crashes.call(
            "create_state_machine",
            name="crash",
            definition=json.dumps(MACHINE),
            roleArn="arn:aws:iam::123456789012:role/r",
        )["stateMachineArn"]
        rng = random.Random(11)
        inputs = {f"run-{i}": rng.randrange(1000) for i in range(EXECUTIONS)}
        kill_after = sorted(rng.sample(range(10, EXECUTIONS), KILLS - 1))
        arns: list[str] = []
        for index, (name, n) in enumerate(inputs.items()):
            if index in kill_after:
                crashes.kill_and_restart()
            started = crashes.call(
                "start_execution",
                stateMachineArn=machine,
                name=name,
                input=json.dumps({"n": n, "items": [1, 2, 3]}),
            )
            arns.append(started["executionArn"])
        answered: set[str] = set()
        deadline = time.monotonic() + FINISH_SECONDS
        last_kill = False
        while True:
            _answer_callbacks(crashes, arns, answered)
            if not last_kill and len(answered) > EXECUTIONS // 2:
                crashes.kill_and_restart()  # with callbacks answered and others mid-flight
                last_kill = True
            running = crashes.call("list_executions", stateMachineArn=machine, maxResults=1000)
            if last_kill and all(e["status"] != "RUNNING" for e in running["executions"]):
                break
            assert time.monotonic() < deadline, "executions did not finish in time"
            time.sleep(0.2)

        runs = Counter(tuple(json.loads(line)[:2]) for line in log.read_text().splitlines())
        lost = duplicated = restarted = 0
        for arn in arns:
            name = arn.split(":")[-1]
            described = crashes.call("describe_execution", executionArn=arn)
            if described["status"] != "SUCCEEDED":
                lost += 1
                continue
            assert json.loads(described["output"]) == _expected(inputs[name], name), name
            events = _history(crashes, arn)
            assert [e["id"] for e in events] == list(range(1, len(events) + 1)), name
            assert all(e["previousEventId"] < e["id"] for e in events), name
            started = Counter(e["type"] for e in events)["LambdaFunctionStarted"]
            succeeded = Counter(e["type"] for e in events)["LambdaFunctionSucceeded"]
            assert succeeded == 5, name  # Prep, Side, and three Each
            ran = sum(count for (execution, _), count in runs.items() if execution == name)
            # Every run follows a committed start; a committed result is never run again.
            duplicated += max(0, ran - started)
            restarted += started - succeeded
        print(
            f"\ncrash test: executions {EXECUTIONS}, kills {crashes.kills}, lost {lost}, "
            f"duplicated {duplicated}, calls started again after a kill {restarted}"
        )
        assert (lost, duplicated) == (0, 0)
        assert crashes.kills == KILLS
        assert restarted > 0, "no kill interrupted a call: the at-least-once path went untested"
    finally:
        crashes.server.stop()
