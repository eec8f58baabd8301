"""The table of operations: `X-Amz-Target: AWSStepFunctions.<Name>` -> its `Operation`.

Each family module (`machines`, `versions`, `aliases`, `activities`, `tags`,
`definitions`, `executions`, `tasks`, `test_state`, ...) exports an `OPERATIONS` table: a family
is one module and one line here. Operations of the Step Functions API that Phalanx
does not implement yet answer `UnsupportedOperation`, naming the operation;
names that are not Step Functions operations answer `UnknownOperationException`.
"""

from __future__ import annotations

from typing import Any

from phalanx.api import (
    activities,
    aliases,
    definitions,
    executions,
    machines,
    map_runs,
    redrive,
    tags,
    tasks,
    test_state,
    versions,
)
from phalanx.api.context import Context
from phalanx.api.errors import ApiError
from phalanx.api.operations import Operation
from phalanx.api.shapes import check

TARGET_PREFIX = "AWSStepFunctions."

OPERATIONS: dict[str, Operation] = {
    **machines.OPERATIONS,
    **versions.OPERATIONS,
    **aliases.OPERATIONS,
    **activities.OPERATIONS,
    **tags.OPERATIONS,
    **definitions.OPERATIONS,
    **executions.OPERATIONS,
    **tasks.OPERATIONS,
    **map_runs.OPERATIONS,
    **redrive.OPERATIONS,
    **test_state.OPERATIONS,
}

# Every operation of the Step Functions API (botocore's stepfunctions 2016-11-23 model).
AWS_OPERATIONS = frozenset(
    {
        "CreateActivity",
        "CreateStateMachine",
        "CreateStateMachineAlias",
        "DeleteActivity",
        "DeleteStateMachine",
        "DeleteStateMachineAlias",
        "DeleteStateMachineVersion",
        "DescribeActivity",
        "DescribeExecution",
        "DescribeMapRun",
        "DescribeStateMachine",
        "DescribeStateMachineAlias",
        "DescribeStateMachineForExecution",
        "GetActivityTask",
        "GetExecutionHistory",
        "ListActivities",
        "ListExecutions",
        "ListMapRuns",
        "ListStateMachineAliases",
        "ListStateMachineVersions",
        "ListStateMachines",
        "ListTagsForResource",
        "PublishStateMachineVersion",
        "RedriveExecution",
        "SendTaskFailure",
        "SendTaskHeartbeat",
        "SendTaskSuccess",
        "StartExecution",
        "StartSyncExecution",
        "StopExecution",
        "TagResource",
        "TestState",
        "UntagResource",
        "UpdateMapRun",
        "UpdateStateMachine",
        "UpdateStateMachineAlias",
        "ValidateStateMachineDefinition",
    }
)


def operation_named(target: str | None) -> tuple[str, Operation]:
    """The operation an `X-Amz-Target` header names, or the error that says why there is none."""
    if not target or not target.startswith(TARGET_PREFIX):
        raise ApiError(
            "UnknownOperationException",
            f"X-Amz-Target must be {TARGET_PREFIX}<Operation>, got {target!r}",
        )
    name = target[len(TARGET_PREFIX) :]
    found = OPERATIONS.get(name)
    if found is not None:
        return name, found
    if name in AWS_OPERATIONS:
        raise ApiError(
            "UnsupportedOperation",
            f"Phalanx does not implement {name} yet; it serves: {', '.join(sorted(OPERATIONS))}",
        )
    raise ApiError("UnknownOperationException", f"Unknown operation {name!r}")


def dispatch(context: Context, target: str | None, request: Any) -> dict[str, Any]:
    """Check `request` against the operation's input shape and answer it."""
    _, operation = operation_named(target)
    return operation.handler(context, check(operation.input, request))
