"""Whether an execution may be redriven (DescribeExecution, RedriveExecution)."""

from __future__ import annotations

from phalanx.store.records import ExecutionRecord

REDRIVABLE_SECONDS = 14 * 24 * 3600
"""How long after it ended an execution may be redriven (AWS: 14 days)."""


def not_redrivable_reason(execution: ExecutionRecord, now: float) -> str | None:
    """Why `execution` cannot be redriven now, or None when it can."""
    if execution.type != "STANDARD":
        return "Express executions cannot be redriven"
    if execution.status in ("RUNNING", "SUCCEEDED"):
        return f"Execution is {execution.status} and cannot be redriven"
    if execution.stopped_at is not None and now - execution.stopped_at > REDRIVABLE_SECONDS:
        return "Execution ended more than 14 days ago and cannot be redriven"
    if execution.map_run_arn is not None:
        return "Map Run child executions are redriven through their Map Run"
    return None
