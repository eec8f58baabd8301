"""Executions and their history events (the durable runtime writes them; the API reads them)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from phalanx.store.records import ExecutionRecord, ExecutionSummary, HistoryEventRecord
from phalanx.store.tables import Table, in_chunks

EXECUTIONS = Table.of("executions", ExecutionRecord, ["arn"])
SUMMARIES = Table.of("executions", ExecutionSummary, ["arn"])
HISTORY = Table.of("history_events", HistoryEventRecord, ["execution_arn", "id"], ["details"])


def get(connection: sqlite3.Connection, arn: str) -> ExecutionRecord | None:
    return EXECUTIONS.get(connection, arn)


def existing(connection: sqlite3.Connection, arns: Iterable[str]) -> set[str]:
    """Which of `arns` name an execution."""
    found: set[str] = set()
    for marks, chunk in in_chunks(arns):
        query = f"SELECT arn FROM executions WHERE arn IN ({marks})"
        found.update(arn for (arn,) in connection.execute(query, chunk))
    return found


def get_many(connection: sqlite3.Connection, arns: Iterable[str]) -> list[ExecutionRecord]:
    """The executions of `arns` that exist (in no particular order)."""
    found: list[ExecutionRecord] = []
    for marks, chunk in in_chunks(arns):
        found += EXECUTIONS.select(connection, f"arn IN ({marks})", chunk)
    return found


def last_event_ids(connection: sqlite3.Connection, arns: Iterable[str]) -> dict[str, int]:
    """The id of each execution's last history event (executions with none left out)."""
    found: dict[str, int] = {}
    for marks, chunk in in_chunks(arns):
        query = (
            "SELECT execution_arn, MAX(id) FROM history_events"
            f" WHERE execution_arn IN ({marks}) GROUP BY execution_arn"
        )
        found.update((arn, int(last)) for arn, last in connection.execute(query, chunk))
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


@dataclass(frozen=True, slots=True)
class ExecutionFilter:
    """Which executions a listing shows; every field set must match.

    A Distributed Map's child executions are left out unless `map_run_arn`
    asks for that run's, as ListExecutions does. `machine_name` matches the
    machine in any region and account. `redriven` True keeps the executions
    redriven at least once, False those never redriven.
    """

    machine_arn: str | None = None
    machine_name: str | None = None
    version_arn: str | None = None
    alias_arn: str | None = None
    map_run_arn: str | None = None
    status: str | None = None
    redriven: bool | None = None


ListingKey = tuple[float, str]
"""Where a listing stands: the (started_at, arn) of the last execution it gave."""

_NEWEST_FIRST = "started_at DESC, arn"


def _listing_query(
    wanted: ExecutionFilter, *, after: ListingKey | None = None, limit: int | None = None
) -> tuple[str, list[object]]:
    where, parameters = _conditions(wanted)
    if after is not None:
        # Newest first, ties by ARN: the rows past `after` are those started earlier, or
        # at the same moment with a later ARN. `started_at <= ?` alone is a range on the
        # index, so a page seeks to its first row instead of counting the ones before.
        started_at, arn = after
        where.append("started_at <= ? AND (started_at < ? OR arn > ?)")
        parameters += [started_at, started_at, arn]
    query = f"SELECT {SUMMARIES.columns} FROM executions WHERE {' AND '.join(where)}"
    query += f" ORDER BY {_NEWEST_FIRST}"
    if limit is not None:
        query += " LIMIT ?"
        parameters.append(limit)
    return query, parameters


def _conditions(wanted: ExecutionFilter) -> tuple[list[str], list[object]]:
    where, parameters = list[str](), list[object]()
    for column, value in (
        ("map_run_arn", wanted.map_run_arn),
        ("version_arn", wanted.version_arn),
        ("alias_arn", wanted.alias_arn),
        ("machine_arn", wanted.machine_arn),
        ("status", wanted.status),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            parameters.append(value)
    if wanted.map_run_arn is None:
        where.append("map_run_arn IS NULL")
    if wanted.machine_name is not None:
        # A name holds no ':', so the ARN's tail names the machine exactly.
        tail = f":stateMachine:{wanted.machine_name}"
        where.append("substr(machine_arn, -?) = ?")
        parameters += [len(tail), tail]
    if wanted.redriven is not None:
        where.append("redrive_count > 0" if wanted.redriven else "redrive_count = 0")
    return where, parameters


def listed(
    connection: sqlite3.Connection,
    wanted: ExecutionFilter,
    *,
    after: ListingKey | None = None,
    limit: int | None = None,
) -> list[ExecutionSummary]:
    """The executions `wanted` names, newest first (as ListExecutions orders them), from
    just past `after`, at most `limit` of them.
    """
    query, parameters = _listing_query(wanted, after=after, limit=limit)
    return [SUMMARIES.record(*row) for row in connection.execute(query, parameters)]


def search(
    connection: sqlite3.Connection,
    *,
    machine_arn: str | None = None,
    machine_name: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[ExecutionSummary]:
    """Executions of every machine (or one, by ARN or by name in any region and account),
    newest first; a Distributed Map's child executions are left out, as ListExecutions does.
    """
    wanted = ExecutionFilter(machine_arn=machine_arn, machine_name=machine_name, status=status)
    return listed(connection, wanted, limit=limit)


def with_status(connection: sqlite3.Connection, status: str) -> list[ExecutionSummary]:
    """Every execution in `status`, oldest first (RUNNING ones are what recovery resumes);
    summaries, since recovery reads each execution's row again as it resumes it.
    """
    return SUMMARIES.select(connection, "status = ?", (status,), order="started_at, arn")


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
