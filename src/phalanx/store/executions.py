"""Executions and their history events (the durable runtime writes them; the API reads them)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from phalanx.store.records import ExecutionRecord, HistoryEventRecord
from phalanx.store.tables import Table

_MAX_VARIABLES = 500
"""Parameters in one statement, well under SQLite's lowest limit (999)."""
EXECUTIONS = Table.of("executions", ExecutionRecord, ["arn"])
HISTORY = Table.of("history_events", HistoryEventRecord, ["execution_arn", "id"], ["details"])


def get(connection: sqlite3.Connection, arn: str) -> ExecutionRecord | None:
    return EXECUTIONS.get(connection, arn)


def existing(connection: sqlite3.Connection, arns: Iterable[str]) -> set[str]:
    """Which of `arns` name an execution."""
    wanted = list(arns)
    found: set[str] = set()
    for first in range(0, len(wanted), _MAX_VARIABLES):
        chunk = wanted[first : first + _MAX_VARIABLES]
        marks = ", ".join("?" for _ in chunk)
        query = f"SELECT arn FROM executions WHERE arn IN ({marks})"
        found.update(arn for (arn,) in connection.execute(query, chunk))
    return found


def insert(connection: sqlite3.Connection, execution: ExecutionRecord) -> None:
    EXECUTIONS.insert(connection, execution)


def insert_many(connection: sqlite3.Connection, records: Iterable[ExecutionRecord]) -> None:
    EXECUTIONS.insert_many(connection, records)


def set_ended(connection: sqlite3.Connection, execution: ExecutionRecord) -> None:
    """Write how `execution` ended (its other columns are as StartExecution wrote them)."""
    connection.execute(
        "UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stopped_at = ?"
        " WHERE arn = ?",
        (
            execution.status,
            execution.output,
            execution.error,
            execution.cause,
            execution.stopped_at,
            execution.arn,
        ),
    )


def update(connection: sqlite3.Connection, execution: ExecutionRecord) -> bool:
    return EXECUTIONS.update(connection, execution)


def list_for(
    connection: sqlite3.Connection, machine_arn: str, status: str | None = None
) -> list[ExecutionRecord]:
    """A machine's executions, newest first (as ListExecutions orders them)."""
    where, parameters = "machine_arn = ?", [machine_arn]
    if status is not None:
        where += " AND status = ?"
        parameters.append(status)
    return EXECUTIONS.select(connection, where, parameters, order="started_at DESC, arn")


def search(
    connection: sqlite3.Connection,
    *,
    machine_arn: str | None = None,
    machine_name: str | None = None,
    status: str | None = None,
) -> list[ExecutionRecord]:
    """Executions of every machine (or one, by ARN or by name in any region and account),
    newest first; a Distributed Map's child executions are left out, as ListExecutions does.
    """
    where, parameters = ["map_run_arn IS NULL"], list[object]()
    if machine_arn is not None:
        where.append("machine_arn = ?")
        parameters.append(machine_arn)
    if machine_name is not None:
        # A name holds no ':', so the ARN's tail names the machine exactly.
        tail = f":stateMachine:{machine_name}"
        where.append("substr(machine_arn, -?) = ?")
        parameters += [len(tail), tail]
    if status is not None:
        where.append("status = ?")
        parameters.append(status)
    return EXECUTIONS.select(
        connection, " AND ".join(where), parameters, order="started_at DESC, arn"
    )


def with_status(connection: sqlite3.Connection, status: str) -> list[ExecutionRecord]:
    """Every execution in `status` (RUNNING ones are what recovery resumes)."""
    return EXECUTIONS.select(connection, "status = ?", (status,), order="started_at, arn")


def append_events(connection: sqlite3.Connection, events: Iterable[HistoryEventRecord]) -> None:
    HISTORY.insert_many(connection, events)


def events(
    connection: sqlite3.Connection,
    execution_arn: str,
    *,
    after_id: int = 0,
    reverse: bool = False,
    limit: int | None = None,
) -> list[HistoryEventRecord]:
    """Events in id order (newest first if `reverse`), starting past `after_id` in that order."""
    if reverse:
        where = "execution_arn = ? AND (? = 0 OR id < ?)"
        order = "id DESC"
    else:
        where = "execution_arn = ? AND (? = 0 OR id > ?)"
        order = "id"
    return HISTORY.select(
        connection, where, (execution_arn, after_id, after_id), order=order, limit=limit
    )


def last_event_id(connection: sqlite3.Connection, execution_arn: str) -> int:
    (last,) = connection.execute(
        "SELECT COALESCE(MAX(id), 0) FROM history_events WHERE execution_arn = ?",
        (execution_arn,),
    ).fetchone()
    return int(last)
