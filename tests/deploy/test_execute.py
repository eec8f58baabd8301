"""Following an execution: events as they come, then the path taken.

moto keeps executions RUNNING with a canned history, so the path and the end
of an execution are checked with a scripted Step Functions client.
"""

from __future__ import annotations

from typing import Any

from phalanx.deploy.aws import Connection, Pace
from phalanx.deploy.execute import execute, render_event
from phalanx.deploy.progress import StepLog

ARN = "arn:aws:states:us-east-1:123456789012:execution:m:e1"


def _entered(n: int, name: str) -> dict[str, Any]:
    return {"id": n, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": name}}


HISTORY = [
    [
        {"id": 1, "type": "ExecutionStarted", "executionStartedEventDetails": {}},
        _entered(2, "lambdaRollDie"),
    ],
    [
        {"id": 3, "type": "ChoiceStateEntered", "stateEnteredEventDetails": {"name": "checkRoll"}},
        {"id": 4, "type": "SucceedStateEntered", "stateEnteredEventDetails": {"name": "success"}},
        {
            "id": 5,
            "type": "ExecutionSucceeded",
            "executionSucceededEventDetails": {"output": '{"roll": 5}'},
        },
    ],
]


class ScriptedStepFunctions:
    def __init__(self) -> None:
        self.polls = 0
        self.events: list[dict[str, Any]] = []

    def start_execution(self, **kwargs: Any) -> dict[str, Any]:
        self.input = kwargs["input"]
        return {"executionArn": ARN}

    def get_execution_history(self, **kwargs: Any) -> dict[str, Any]:
        if self.polls < len(HISTORY):
            self.events += HISTORY[self.polls]
            self.polls += 1
        return {"events": list(self.events)}

    def describe_execution(self, executionArn: str) -> dict[str, Any]:
        if self.polls < len(HISTORY):
            return {"status": "RUNNING"}
        return {"status": "SUCCEEDED", "output": '{"roll": 5}'}


def test_execute_follows_history_and_prints_the_path() -> None:
    lines: list[str] = []
    sfn = ScriptedStepFunctions()
    conn = Connection(
        region="us-east-1",
        pace=Pace(interval=1.0, clock=lambda: 0.0, sleep=lambda s: None),
        clients={"stepfunctions": sfn},
    )
    result = execute(conn, "arn:sm", '{"a": 1}', StepLog(lines.append, lambda: 0.0))
    assert sfn.input == '{"a": 1}'
    assert result.status == "SUCCEEDED"
    assert result.path == ("lambdaRollDie", "checkRoll", "success")
    assert lines == [
        f"[   0.00s] started: {ARN}",
        "           #1 ExecutionStarted",
        "           #2 TaskStateEntered lambdaRollDie",
        "           #3 ChoiceStateEntered checkRoll",
        "           #4 SucceedStateEntered success",
        '           #5 ExecutionSucceeded  output {"roll": 5}',
        "[   0.00s] succeeded: path: lambdaRollDie -> checkRoll -> success",
        '           output: {"roll": 5}',
    ]


def test_failed_events_show_error_and_cause() -> None:
    event = {
        "id": 7,
        "type": "TaskFailed",
        "taskFailedEventDetails": {"error": "States.TaskFailed", "cause": "boom"},
    }
    assert render_event(event) == "#7 TaskFailed  States.TaskFailed: boom"
