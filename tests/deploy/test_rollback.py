"""A failed create: reasons shown, rollback followed live, non-zero outcome.

moto neither fails resources nor rolls back, so a scripted CloudFormation
client plays the stack's events through the real `Connection` seam.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from phalanx.deploy import provision
from phalanx.deploy.aws import Connection, Pace
from phalanx.deploy.errors import DeployError
from phalanx.deploy.progress import StepLog

T0 = datetime(2026, 1, 1, tzinfo=UTC)
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1"


def _event(n: int, lid: str, kind: str, status: str, reason: str = "") -> dict[str, Any]:
    event = {
        "EventId": f"e{n}",
        "LogicalResourceId": lid,
        "ResourceType": kind,
        "ResourceStatus": status,
        "Timestamp": T0 + timedelta(seconds=n),
    }
    if reason:
        event["ResourceStatusReason"] = reason
    return event


STACK = "AWS::CloudFormation::Stack"
FN = "AWS::Lambda::Function"
# What each poll after ExecuteChangeSet reveals, with the stack status then.
SCRIPT = [
    ([_event(1, "s", STACK, "CREATE_IN_PROGRESS", "User Initiated")], "CREATE_IN_PROGRESS"),
    (
        [
            _event(2, "RollDieFunction", FN, "CREATE_IN_PROGRESS"),
            _event(3, "RollDieFunction", FN, "CREATE_FAILED", "S3 Error Code: NoSuchKey"),
            _event(4, "s", STACK, "ROLLBACK_IN_PROGRESS", "resource(s) failed to create"),
        ],
        "ROLLBACK_IN_PROGRESS",
    ),
    (
        [
            _event(5, "RollDieFunction", FN, "DELETE_COMPLETE"),
            _event(6, "s", STACK, "ROLLBACK_COMPLETE"),
        ],
        "ROLLBACK_COMPLETE",
    ),
]


class ScriptedCloudFormation:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.status: str | None = None
        self.polls = 0
        self.executed = False

    def describe_stacks(self, StackName: str) -> dict[str, Any]:
        if self.status is None:
            raise ClientError(
                {"Error": {"Code": "ValidationError", "Message": "Stack s does not exist"}},
                "DescribeStacks",
            )
        if self.executed and self.polls < len(SCRIPT):
            new, self.status = SCRIPT[self.polls]
            self.events = list(reversed(new)) + self.events
            self.polls += 1
        return {"Stacks": [{"StackName": "s", "StackId": STACK_ID, "StackStatus": self.status}]}

    def describe_stack_events(self, StackName: str, **_: Any) -> dict[str, Any]:
        return {"StackEvents": self.events}

    def create_change_set(self, **kwargs: Any) -> dict[str, Any]:
        self.status = "REVIEW_IN_PROGRESS"
        return {"Id": "cs-1", "StackId": STACK_ID}

    def describe_change_set(self, ChangeSetName: str) -> dict[str, Any]:
        change = {"Action": "Add", "LogicalResourceId": "RollDieFunction", "ResourceType": FN}
        return {"Status": "CREATE_COMPLETE", "Changes": [{"ResourceChange": change}]}

    def execute_change_set(self, ChangeSetName: str) -> None:
        self.executed = True


def test_failed_create_shows_reasons_and_rollback_and_raises() -> None:
    lines: list[str] = []
    slept: list[float] = []
    conn = Connection(
        region="us-east-1",
        pace=Pace(interval=2.0, clock=lambda: 0.0, sleep=slept.append),
        clients={"cloudformation": ScriptedCloudFormation()},
    )
    log = StepLog(lines.append, lambda: 0.0)
    with pytest.raises(DeployError) as raised:
        provision._apply(conn, "s", {"TemplateBody": "{}"}, [], log, None, dry_run=False)
    text = "\n".join(lines)
    assert str(raised.value) == (
        "provision failed, stack s is ROLLBACK_COMPLETE: "
        "RollDieFunction (AWS::Lambda::Function): S3 Error Code: NoSuchKey"
    )
    assert "+ add  RollDieFunction  AWS::Lambda::Function" in text
    order = [
        "CREATE_IN_PROGRESS  User Initiated",
        "CREATE_FAILED  S3 Error Code: NoSuchKey",
        "ROLLBACK_IN_PROGRESS",
        "DELETE_COMPLETE",
        "ROLLBACK_COMPLETE",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert "failed: stack s is ROLLBACK_COMPLETE" in text
    assert slept == [2.0, 2.0]  # polled until the rollback ended, sleeping between polls


def test_a_stack_whose_creation_failed_must_be_deleted_first() -> None:
    cfn = ScriptedCloudFormation()
    cfn.status = "ROLLBACK_COMPLETE"
    conn = Connection(region="us-east-1", clients={"cloudformation": cfn})
    log = StepLog(lambda line: None, lambda: 0.0)
    with pytest.raises(DeployError, match="run phalanx delete --stack-name s, then provision"):
        provision._apply(conn, "s", {"TemplateBody": "{}"}, [], log, None, dry_run=False)
