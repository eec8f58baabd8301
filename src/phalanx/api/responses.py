"""Stored executions and history events in the shapes the API answers with.

One conversion for ListExecutions and GetExecutionHistory and for the CLI
views (`phalanx executions`, `phalanx history --format json`), so that what
the command prints is what boto3 would be sent:

    {"timestamp": 1733489960.123, "type": "PassStateEntered", "id": 2,
     "previousEventId": 1, "stateEnteredEventDetails": {"name": "A", ...}}
"""

from __future__ import annotations

from typing import Any

from phalanx.api.operations import timestamp
from phalanx.engine.history import details_key
from phalanx.store.records import ExecutionRecord, ExecutionSummary, HistoryEventRecord

EVENTS_WITHOUT_DETAILS = frozenset(
    {
        "LambdaFunctionStarted",
        "MapRunAborted",
        "MapRunSucceeded",
        "MapStateAborted",
        "MapStateFailed",
        "MapStateSucceeded",
        "ParallelStateAborted",
        "ParallelStateFailed",
        "ParallelStateStarted",
        "ParallelStateSucceeded",
        "TaskStateAborted",
        "WaitStateAborted",
    }
)
"""Event types AWS's model gives no `<type>EventDetails` member: they never carry one.

Every other type keeps its details even when empty: AWS sends
`"executionFailedEventDetails": {}` for a Fail state with neither Error nor
Cause (corpus `base/test_state_fail_empty`).
"""


def history_event(event: HistoryEventRecord) -> dict[str, Any]:
    """One HistoryEvent of GetExecutionHistory."""
    shaped: dict[str, Any] = {
        "timestamp": timestamp(event.timestamp),
        "type": event.type,
        "id": event.id,
        "previousEventId": event.previous_event_id,
    }
    if event.details or event.type not in EVENTS_WITHOUT_DETAILS:
        shaped[details_key(event.type)] = event.details
    return shaped


def event_record(execution_arn: str, event: dict[str, Any]) -> HistoryEventRecord:
    """The row that keeps an engine event (`engine.history`); `history_event` gives it back."""
    return HistoryEventRecord(
        execution_arn,
        event["id"],
        event["previousEventId"],
        event["timestamp"],
        event["type"],
        event.get(details_key(event["type"]), {}),
    )


def execution_list_item(execution: ExecutionRecord | ExecutionSummary) -> dict[str, Any]:
    """One ExecutionListItem of ListExecutions (listed by state machine, not by Map Run)."""
    item: dict[str, Any] = {
        "executionArn": execution.arn,
        "stateMachineArn": execution.machine_arn,
        "name": execution.name,
        "status": execution.status,
        "startDate": timestamp(execution.started_at),
    }
    if execution.stopped_at is not None:
        item["stopDate"] = timestamp(execution.stopped_at)
    if execution.version_arn is not None:
        item["stateMachineVersionArn"] = execution.version_arn
    if execution.alias_arn is not None:
        item["stateMachineAliasArn"] = execution.alias_arn
    item["redriveCount"] = execution.redrive_count
    if execution.redriven_at is not None:
        item["redriveDate"] = timestamp(execution.redriven_at)
    return item
