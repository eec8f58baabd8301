"""A deployed stack: find it, follow its events, describe it, delete it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from phalanx.deploy import progress
from phalanx.deploy.aws import Connection, aws_errors, error_code
from phalanx.deploy.errors import DeployError
from phalanx.deploy.progress import StepLog

# A stack that failed its first creation cannot be updated, only deleted.
FAILED_CREATE = frozenset({"ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED"})
# Only ContinueUpdateRollback brings these back to UPDATE_ROLLBACK_COMPLETE.
STUCK_ROLLBACK = frozenset({"UPDATE_ROLLBACK_FAILED"})
# A delete that failed: deleting again (after fixing what blocked it) is the way out.
FAILED_DELETE = frozenset({"DELETE_FAILED"})


def next_step(name: str, status: str) -> str | None:
    """What to do with stack `name` in `status` before provision can update it (None: nothing)."""
    if status in FAILED_CREATE:
        return f"its creation failed; run phalanx delete --stack-name {name}, then provision again"
    if status in STUCK_ROLLBACK:
        return (
            f"its update rolled back only in part; run aws cloudformation continue-update-rollback "
            f"--stack-name {name} (add --resources-to-skip for resources that cannot roll back), "
            "then provision again"
        )
    if status in FAILED_DELETE:
        return (
            f"a delete failed; see phalanx describe --stack-name {name}, fix what blocks it, "
            f"then run phalanx delete --stack-name {name}"
        )
    if status == "IMPORT_ROLLBACK_FAILED":
        return (
            "a resource import rolled back only in part; fix the stack in the CloudFormation "
            "console (see phalanx describe), then provision again"
        )
    return None


def find(conn: Connection, name: str) -> dict[str, Any] | None:
    """The stack called `name` (DescribeStacks), or None if there is none."""
    try:
        with aws_errors():
            stacks = conn.client("cloudformation").describe_stacks(StackName=name)["Stacks"]
    except DeployError as error:
        cause = error.__cause__
        gone = cause is not None and error_code(cause) == "ValidationError"
        if gone and "does not exist" in str(cause):
            return None
        raise
    return dict(stacks[0]) if stacks else None


def require(conn: Connection, name: str) -> dict[str, Any]:
    stack = find(conn, name)
    if stack is None or stack.get("StackStatus") == "DELETE_COMPLETE":
        region = conn.region_name
        raise DeployError(
            f"no stack {name} in {region}: provision it first, or check --stack-name and --region"
        )
    return stack


def event_ids(conn: Connection, stack: str) -> set[str]:
    """Ids of the events the stack has now, to show only newer ones later."""
    with aws_errors():
        events = conn.client("cloudformation").describe_stack_events(StackName=stack)
    return {str(e["EventId"]) for e in events.get("StackEvents", [])}


def follow(
    conn: Connection,
    stack: str,
    log: StepLog,
    seen: set[str],
    since: datetime | None = None,
    before: tuple[str, object] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """Print the stack's new events as they come until it stops changing.

    `stack` should be the stack id (its ARN): after a delete, only the id
    still finds it. Returns the final status and the events shown.

    `before` is the stack's (status, LastUpdatedTime) before the operation:
    right after ExecuteChangeSet, DescribeStacks may still show that old,
    settled status. It is taken as the end only once something moved (the
    status, the update time or a stack-level event), or after `_GRACE_POLLS`.
    """
    client = conn.client("cloudformation")
    pace = conn.pace
    deadline = pace.clock() + pace.timeout
    shown: list[dict[str, Any]] = []
    started = before is None
    polls = 0
    while True:
        with aws_errors():
            new = _new_events(client, stack, seen)
            for item in new:
                seen.add(str(item["EventId"]))
                since = since or item.get("Timestamp")
                shown.append(item)
                log.detail(progress.event(item, since))
            current = client.describe_stacks(StackName=stack)["Stacks"][0]
            status = str(current["StackStatus"])
        polls += 1
        if not started and before is not None:
            started = (
                status != before[0]
                or current.get("LastUpdatedTime") != before[1]
                or any(item.get("ResourceType") == _STACK_TYPE for item in new)
                or polls > _GRACE_POLLS
            )
        if started and not status.endswith("_IN_PROGRESS"):
            for item in _new_events(client, stack, seen):  # the last ones, if any
                seen.add(str(item["EventId"]))
                shown.append(item)
                log.detail(progress.event(item, since))
            return status, shown
        if pace.clock() > deadline:
            raise DeployError(
                f"stack {stack} is still {status} after {pace.timeout:.0f}s; "
                "follow it with phalanx status"
            )
        pace.sleep(pace.interval)


_STACK_TYPE = "AWS::CloudFormation::Stack"
# Polls to wait for an operation to show before trusting an unchanged status.
_GRACE_POLLS = 5


def _new_events(client: Any, stack: str, seen: set[str]) -> list[dict[str, Any]]:
    """Events not yet seen, oldest first (DescribeStackEvents lists newest first)."""
    new: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"StackName": stack}
        if token:
            kwargs["NextToken"] = token
        page = client.describe_stack_events(**kwargs)
        for item in page.get("StackEvents", []):
            if str(item["EventId"]) in seen:
                return list(reversed(new))
            new.append(dict(item))
        token = page.get("NextToken")
        if not token:
            return list(reversed(new))


def failures(events: list[dict[str, Any]]) -> list[str]:
    """`Resource: reason` for each failed resource, in the order they failed."""
    return [
        f"{e.get('LogicalResourceId')} ({e.get('ResourceType')}): "
        f"{e.get('ResourceStatusReason') or e.get('ResourceStatus')}"
        for e in events
        if progress.is_failure(e)
    ]


def outputs(stack: Mapping[str, Any]) -> dict[str, str]:
    return {str(o["OutputKey"]): str(o["OutputValue"]) for o in stack.get("Outputs", []) or []}


def resources(conn: Connection, stack: str) -> list[dict[str, Any]]:
    with aws_errors():
        found = conn.client("cloudformation").describe_stack_resources(StackName=stack)
    return [dict(r) for r in found.get("StackResources", [])]


def describe(conn: Connection, name: str) -> str:
    """Status, resources and outputs of stack `name`, as text."""
    stack = require(conn, name)
    lines = [
        f"Stack {stack['StackName']}: {stack['StackStatus']}",
        f"  id: {stack['StackId']}",
    ]
    if stack.get("StackStatusReason"):
        lines.append(f"  reason: {stack['StackStatusReason']}")
    for label, key in (("created", "CreationTime"), ("updated", "LastUpdatedTime")):
        if stack.get(key):
            lines.append(f"  {label}: {stack[key]}")
    lines += ["", "Resources:", _indent(progress.resources(resources(conn, name)))]
    lines += ["", "Outputs:", _indent(progress.outputs(stack.get("Outputs", []) or []))]
    return "\n".join(lines)


def status(conn: Connection, name: str) -> str:
    """One line for the stack, then each state machine's latest executions."""
    stack = require(conn, name)
    lines = [f"{stack['StackName']}: {stack['StackStatus']}"]
    sfn = conn.client("stepfunctions")
    for resource in resources(conn, name):
        if resource.get("ResourceType") != "AWS::StepFunctions::StateMachine":
            continue
        arn = str(resource.get("PhysicalResourceId", ""))
        with aws_errors():
            executions = sfn.list_executions(stateMachineArn=arn, maxResults=5)["executions"]
        lines.append(f"  {resource['LogicalResourceId']}: {len(executions)} recent execution(s)")
        for item in executions:
            lines.append(f"    {item['name']}  {item['status']}  started {item['startDate']}")
    return "\n".join(lines)


def delete(conn: Connection, name: str, log: StepLog) -> str:
    """Delete stack `name`, showing its events; returns the final status."""
    stack = require(conn, name)
    stack_id = str(stack["StackId"])
    seen = event_ids(conn, stack_id)
    log.step("delete", f"stack {name} ({stack['StackStatus']})")
    with aws_errors():
        conn.client("cloudformation").delete_stack(StackName=stack_id)
    final, shown = follow(conn, stack_id, log, seen)
    if final != "DELETE_COMPLETE":
        reasons = failures(shown) or [final]
        raise DeployError(f"stack {name} could not be deleted: {'; '.join(reasons)}")
    log.step("done", f"stack {name} deleted")
    return final


def _indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line for line in text.splitlines())
