"""A store holding a few executions and real histories, written through the store's API.

Histories come from running machines on the engine with a fixed virtual clock
(so timestamps are known); each event is kept as `api.responses.event_record`
keeps it, as the durable runtime does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from phalanx.api.responses import event_record
from phalanx.runtime.local import run
from phalanx.store import Database
from phalanx.store import executions as stored
from phalanx.store.records import ExecutionRecord, HistoryEventRecord

NOON = datetime(2026, 12, 6, 12, tzinfo=UTC).timestamp()
US = "arn:aws:states:us-east-1:123456789012"
EU = "arn:aws:states:eu-west-1:123456789012"
ORDERS = f"{US}:stateMachine:orders"
BILLING = f"{EU}:stateMachine:billing"

FAILING = {
    "StartAt": "Greet",
    "States": {
        "Greet": {"Type": "Pass", "Result": {"hello": "world"}, "Next": "Both"},
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Pause",
                    "States": {"Pause": {"Type": "Wait", "Seconds": 2, "End": True}},
                }
            ],
            "Next": "Stop",
        },
        "Stop": {"Type": "Fail", "Error": "Oops", "Cause": "it broke"},
    },
}
SUCCEEDING = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def execution(
    machine_arn: str,
    name: str,
    status: str,
    started_at: float,
    stopped_at: float | None = None,
    **fields: Any,
) -> ExecutionRecord:
    arn = machine_arn.replace(":stateMachine:", ":execution:") + f":{name}"
    values: dict[str, Any] = {
        "version_arn": None,
        "alias_arn": None,
        "map_run_arn": None,
        "type": "STANDARD",
        "definition": "{}",
        "role_arn": "arn:aws:iam::123456789012:role/phalanx",
        "input": "{}",
        "output": None,
        "error": None,
        "cause": None,
        "trace_header": None,
        "redrive_count": 0,
        "redriven_at": None,
    }
    values.update(fields)
    return ExecutionRecord(
        arn=arn,
        machine_arn=machine_arn,
        name=name,
        status=status,
        started_at=started_at,
        stopped_at=stopped_at,
        **values,
    )


def history_of(definition: dict[str, Any], arn: str, start: float) -> list[HistoryEventRecord]:
    """The events of running `definition` from `start`, as rows of execution `arn`."""
    ran = run(definition, {"n": 1}, fast=True, start_time=datetime.fromtimestamp(start, UTC))
    return [event_record(arn, event) for event in ran.history]


# Newest first, as the views list them.
FAILED = execution(ORDERS, "o-2", "FAILED", NOON + 10, NOON + 12, error="Oops", cause="it broke")
RUNNING = execution(ORDERS, "o-3", "RUNNING", NOON + 20)
SUCCEEDED = execution(ORDERS, "o-1", "SUCCEEDED", NOON, NOON + 135.5, output="{}")
LONG = execution(BILLING, "b-1", "SUCCEEDED", NOON + 5, NOON + 5 + 7384, output="{}")
CHILD = execution(
    f"{US}:stateMachine:orders/Fan",
    "child-1",
    "SUCCEEDED",
    NOON + 30,
    NOON + 31,
    map_run_arn=f"{US}:mapRun:orders/Fan:run-1",
)


def running_history() -> list[HistoryEventRecord]:
    """o-3's whole history; `fill` stores only its first two events (it is still running)."""
    return history_of(SUCCEEDING, RUNNING.arn, RUNNING.started_at)


def fill(path: Path) -> list[HistoryEventRecord]:
    """Write the executions above to a new database at `path`; answer o-2's history."""
    history = history_of(FAILING, FAILED.arn, FAILED.started_at)
    with Database.open(path) as db, db.atomic() as connection:
        for record in (SUCCEEDED, FAILED, RUNNING, LONG, CHILD):
            stored.insert(connection, record)
        stored.append_events(connection, history)
        stored.append_events(connection, history_of(SUCCEEDING, SUCCEEDED.arn, NOON))
        stored.append_events(connection, running_history()[:2])
    return history


def commit(db: Database, event: HistoryEventRecord) -> None:
    """Commit one more event of o-3; its terminal event also ends it, in the same transaction."""
    with db.atomic() as connection:
        stored.append_events(connection, [event])
        if event.type == "ExecutionSucceeded":
            ended = replace(RUNNING, status="SUCCEEDED", stopped_at=event.timestamp)
            stored.update(connection, ended)
