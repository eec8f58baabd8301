"""A failed create: reasons shown, rollback followed live, non-zero outcome.

moto neither fails resources nor rolls back, so a scripted CloudFormation
client plays the stack's events through the real `Connection` seam.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from phalanx.deploy import provision
from phalanx.deploy.aws import Connection, Pace
from phalanx.deploy.errors import DeployError
from phalanx.deploy.progress import StepLog
from phalanx.project import Project

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


# The same failure when CloudFormation honours OnStackFailure=DELETE.
DELETED_SCRIPT = [
    SCRIPT[0],
    (
        [
            _event(2, "RollDieFunction", FN, "CREATE_IN_PROGRESS"),
            _event(3, "RollDieFunction", FN, "CREATE_FAILED", "S3 Error Code: NoSuchKey"),
            _event(4, "s", STACK, "DELETE_IN_PROGRESS", "resource(s) failed to create"),
        ],
        "DELETE_IN_PROGRESS",
    ),
    ([_event(5, "s", STACK, "DELETE_COMPLETE")], "DELETE_COMPLETE"),
]


class ScriptedCloudFormation:
    def __init__(self, script: list[tuple[list[dict[str, Any]], str]] = SCRIPT) -> None:
        self.script = script
        self.change_set: dict[str, Any] = {}
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
        if self.executed and self.polls < len(self.script):
            new, self.status = self.script[self.polls]
            self.events = list(reversed(new)) + self.events
            self.polls += 1
        return {"Stacks": [{"StackName": "s", "StackId": STACK_ID, "StackStatus": self.status}]}

    def describe_stack_events(self, StackName: str, **_: Any) -> dict[str, Any]:
        return {"StackEvents": self.events}

    def create_change_set(self, **kwargs: Any) -> dict[str, Any]:
        self.change_set = kwargs
        self.status = "REVIEW_IN_PROGRESS"
        return {"Id": "cs-1", "StackId": STACK_ID}

    def describe_change_set(self, ChangeSetName: str) -> dict[str, Any]:
        change = {"Action": "Add", "LogicalResourceId": "RollDieFunction", "ResourceType": FN}
        return {"Status": "CREATE_COMPLETE", "Changes": [{"ResourceChange": change}]}

    def delete_change_set(self, ChangeSetName: str) -> None:
        pass

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
        "RollDieFunction (AWS::Lambda::Function): S3 Error Code: NoSuchKey; "
        "next: its creation failed; run phalanx delete --stack-name s, then provision again"
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


def _scripted(cfn: ScriptedCloudFormation) -> Connection:
    return Connection(
        region="us-east-1",
        pace=Pace(interval=2.0, clock=lambda: 0.0, sleep=lambda _: None),
        clients={"cloudformation": cfn},
    )


def test_a_first_create_asks_cloudformation_to_delete_the_stack_if_it_fails() -> None:
    cfn = ScriptedCloudFormation(DELETED_SCRIPT)
    lines: list[str] = []
    with pytest.raises(DeployError) as raised:
        provision._apply(
            _scripted(cfn),
            "s",
            {"TemplateBody": "{}"},
            [],
            StepLog(lines.append, lambda: 0.0),
            None,
            dry_run=False,
        )
    assert cfn.change_set["OnStackFailure"] == "DELETE"
    assert cfn.change_set["ChangeSetType"] == "CREATE"
    # DELETE_COMPLETE after a create is a failure, not a success
    assert str(raised.value) == (
        "provision failed, stack s is DELETE_COMPLETE: RollDieFunction (AWS::Lambda::Function): "
        "S3 Error Code: NoSuchKey; next: the failed stack was deleted; fix the cause, then "
        "provision again"
    )
    assert "next: the failed stack was deleted" in "\n".join(lines)


def test_change_sets_have_unique_names_and_every_iam_capability() -> None:
    cfn = ScriptedCloudFormation()
    with pytest.raises(DeployError):
        provision._apply(
            _scripted(cfn),
            "s",
            {"TemplateBody": "{}"},
            [],
            StepLog(lambda _: None, lambda: 0.0),
            None,
            dry_run=False,
        )
    assert re.fullmatch(r"phalanx-\d{8}-\d{6}-[0-9a-f]{6}", cfn.change_set["ChangeSetName"])
    assert cfn.change_set["ClientToken"] == cfn.change_set["ChangeSetName"]
    assert cfn.change_set["Capabilities"] == ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]


def test_an_update_sets_no_on_stack_failure() -> None:
    cfn = ScriptedCloudFormation()
    cfn.status = "CREATE_COMPLETE"
    cfn.describe_change_set = lambda ChangeSetName: {"Status": "CREATE_COMPLETE"}  # type: ignore[method-assign]
    provision._apply(
        _scripted(cfn),
        "s",
        {"TemplateBody": "{}"},
        [],
        StepLog(lambda _: None, lambda: 0.0),
        None,
        dry_run=True,
    )
    assert cfn.change_set["ChangeSetType"] == "UPDATE"
    assert "OnStackFailure" not in cfn.change_set


@pytest.mark.parametrize(
    ("status", "advice"),
    [
        pytest.param(
            "ROLLBACK_COMPLETE",
            "its creation failed; run phalanx delete --stack-name s, then provision again",
            id="failed-create",
        ),
        pytest.param(
            "UPDATE_ROLLBACK_FAILED",
            "its update rolled back only in part; run aws cloudformation "
            "continue-update-rollback --stack-name s (add --resources-to-skip for resources "
            "that cannot roll back), then provision again",
            id="stuck-rollback",
        ),
        pytest.param(
            "DELETE_FAILED",
            "a delete failed; see phalanx describe --stack-name s, fix what blocks it, then run "
            "phalanx delete --stack-name s",
            id="failed-delete",
        ),
    ],
)
def test_a_stack_that_cannot_be_updated_gets_its_next_step(status: str, advice: str) -> None:
    cfn = ScriptedCloudFormation()
    cfn.status = status
    conn = Connection(region="us-east-1", clients={"cloudformation": cfn})
    log = StepLog(lambda line: None, lambda: 0.0)
    with pytest.raises(DeployError) as raised:
        provision._apply(conn, "s", {"TemplateBody": "{}"}, [], log, None, dry_run=False)
    assert str(raised.value) == f"stack s is {status} and cannot be updated: {advice}"
    assert cfn.change_set == {}  # refused before CreateChangeSet


@pytest.mark.parametrize("name", ["bad name!", "1stack", "a" * 129, "under_score"])
def test_an_invalid_stack_name_is_refused_before_any_aws_call(name: str) -> None:
    conn = Connection(region="us-east-1", clients={})  # any client call would try boto3
    project = Project(Path("x.py"), {}, {})
    with pytest.raises(DeployError, match="CloudFormation wants a letter"):
        provision.provision(
            project, conn, bucket="b", stack_name=name, log=StepLog(lambda _: None, lambda: 0.0)
        )


class StaleUpdate(ScriptedCloudFormation):
    """An update whose first DescribeStacks still shows the previous, settled status."""

    def __init__(self) -> None:
        old = T0 - timedelta(days=1)
        super().__init__(
            [
                ([], "UPDATE_COMPLETE"),  # not started yet: yesterday's status
                (
                    [_event(1, "s", STACK, "UPDATE_IN_PROGRESS", "User Initiated")],
                    "UPDATE_IN_PROGRESS",
                ),
                (
                    [
                        _event(2, "RollDieFunction", FN, "UPDATE_COMPLETE"),
                        _event(3, "s", STACK, "UPDATE_COMPLETE"),
                    ],
                    "UPDATE_COMPLETE",
                ),
            ]
        )
        self.status = "UPDATE_COMPLETE"
        self.updated = old

    def describe_stacks(self, StackName: str) -> dict[str, Any]:
        found = super().describe_stacks(StackName)
        found["Stacks"][0]["LastUpdatedTime"] = self.updated if self.polls < 2 else T0
        return found

    def describe_stack_resources(self, StackName: str) -> dict[str, Any]:
        return {"StackResources": []}


def test_an_update_is_followed_until_it_ran_not_until_the_old_status() -> None:
    lines: list[str] = []
    cfn = StaleUpdate()
    outcome = provision._apply(
        _scripted(cfn),
        "s",
        {"TemplateBody": "{}"},
        [],
        StepLog(lines.append, lambda: 0.0),
        None,
        dry_run=False,
    )
    assert outcome.status == "UPDATE_COMPLETE"
    assert cfn.polls == 3  # went on past the stale first answer
    assert "RollDieFunction" in "\n".join(lines)
