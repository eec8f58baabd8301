"""Whether an execution may be redriven (DescribeExecution, RedriveExecution).

The reasons are AWS's words (DescribeExecution's `redriveStatusReason`), so
that what DescribeExecution says is what RedriveExecution would refuse.
"""

from __future__ import annotations

from phalanx.engine.history import MAX_EVENTS
from phalanx.store.records import ExecutionRecord

REDRIVABLE_SECONDS = 14 * 24 * 3600
"""How long after it ended an execution may be redriven (AWS: 14 days)."""
MAX_OPEN_SECONDS = 365 * 24 * 3600
"""How long an execution may be open in all, redrives included (AWS: one year)."""


def not_redrivable_reason(execution: ExecutionRecord, now: float, last_event: int) -> str | None:
    """Why `execution`, whose last history event is `last_event`, cannot be redriven now,
    or None when it can."""
    if execution.type != "STANDARD":
        return "Express executions cannot be redriven"
    if execution.status in ("RUNNING", "SUCCEEDED"):
        return f"Execution is {execution.status} and cannot be redriven"
    if execution.map_run_arn is not None:
        return "Map Run child executions are redriven through their Map Run"
    if last_event >= MAX_EVENTS - 1:  # room for ExecutionRedriven and one event more
        return "Execution history event limit exceeded"
    if now - execution.started_at > MAX_OPEN_SECONDS:
        return "Execution has exceeded the max execution time"
    if execution.stopped_at is not None and now - execution.stopped_at > REDRIVABLE_SECONDS:
        return "Execution redrivable period exceeded"
    return None
