"""What the durable runtime needs to resume an execution: its journal, timers, task tokens.

The journal holds the engine's recorded effect outcomes verbatim; timers are
the waits the scheduler fires (no thread per waiting execution); task tokens
are the callbacks and activity tasks that SendTask* and GetActivityTask answer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from phalanx.store.records import JournalEntryRecord, TaskTokenRecord, TimerRecord
from phalanx.store.tables import Table, in_chunks

JOURNAL = Table.of("journal_entries", JournalEntryRecord, ["execution_arn", "sequence"])
TIMERS = Table.of("timers", TimerRecord, ["execution_arn", "effect_id"])
TASK_TOKENS = Table.of("task_tokens", TaskTokenRecord, ["token"])


def append(connection: sqlite3.Connection, entries: Iterable[JournalEntryRecord]) -> None:
    JOURNAL.insert_many(connection, entries)


def entries(connection: sqlite3.Connection, execution_arn: str) -> list[JournalEntryRecord]:
    """An execution's journal in the order it was recorded."""
    return JOURNAL.select(connection, "execution_arn = ?", (execution_arn,), order="sequence")


def entries_of(
    connection: sqlite3.Connection, execution_arns: Iterable[str]
) -> dict[str, list[JournalEntryRecord]]:
    """The journals of several executions, each in the order it was recorded."""
    found: dict[str, list[JournalEntryRecord]] = {}
    for marks, chunk in in_chunks(execution_arns):
        where = f"execution_arn IN ({marks})"
        for entry in JOURNAL.select(connection, where, chunk, order="execution_arn, sequence"):
            found.setdefault(entry.execution_arn, []).append(entry)
    return found


def next_sequence(connection: sqlite3.Connection, execution_arn: str) -> int:
    """The sequence number of the execution's next journal entry."""
    (count,) = connection.execute(
        "SELECT COALESCE(MAX(sequence) + 1, 0) FROM journal_entries WHERE execution_arn = ?",
        (execution_arn,),
    ).fetchone()
    return int(count)


def set_timer(connection: sqlite3.Connection, timer: TimerRecord) -> None:
    """Arm a timer (re-arming the same effect moves it)."""
    TIMERS.insert(connection, timer, replace=True)


def due_timers(connection: sqlite3.Connection, now: float, limit: int) -> list[TimerRecord]:
    """The timers due at `now`, earliest first."""
    return TIMERS.select(connection, "due_at <= ?", (now,), order="due_at", limit=limit)


def next_due(connection: sqlite3.Connection) -> float | None:
    """When the earliest timer falls due, or None when nothing waits."""
    (due,) = connection.execute("SELECT MIN(due_at) FROM timers").fetchone()
    return None if due is None else float(due)


def delete_timer(connection: sqlite3.Connection, execution_arn: str, effect_id: str) -> bool:
    return TIMERS.delete(connection, execution_arn, effect_id)


def put_token(connection: sqlite3.Connection, token: TaskTokenRecord) -> None:
    TASK_TOKENS.insert(connection, token, replace=True)


def arm_token(connection: sqlite3.Connection, token: TaskTokenRecord) -> None:
    """Wait on `token` for effect `token.effect_id`.

    A token already known (a heartbeat asks again with a new effect) keeps its
    status and worker: only the effect it answers moves.
    """
    connection.execute(
        "INSERT INTO task_tokens (token, execution_arn, effect_id, state_name, activity_arn,"
        " input, status, worker_name, heartbeat_seconds, timeout_at, heartbeat_at, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (token) DO UPDATE SET effect_id = excluded.effect_id",
        TASK_TOKENS._row(token),
    )


def set_token_status(connection: sqlite3.Connection, token: str, status: str) -> None:
    connection.execute("UPDATE task_tokens SET status = ? WHERE token = ?", (status, token))


def claim_activity_task(
    connection: sqlite3.Connection, activity_arn: str, worker_name: str | None
) -> TaskTokenRecord | None:
    """Hand the oldest waiting task of `activity_arn` to a worker (status STARTED)."""
    task = waiting_activity_task(connection, activity_arn)
    if task is None:
        return None
    connection.execute(
        "UPDATE task_tokens SET status = 'STARTED', worker_name = ? WHERE token = ?",
        (worker_name, task.token),
    )
    return task


def delete_tokens_of(connection: sqlite3.Connection, execution_arn: str) -> None:
    connection.execute("DELETE FROM task_tokens WHERE execution_arn = ?", (execution_arn,))


def delete_timers_of(connection: sqlite3.Connection, execution_arn: str) -> None:
    connection.execute("DELETE FROM timers WHERE execution_arn = ?", (execution_arn,))


def get_token(connection: sqlite3.Connection, token: str) -> TaskTokenRecord | None:
    return TASK_TOKENS.get(connection, token)


def delete_token(connection: sqlite3.Connection, token: str) -> bool:
    return TASK_TOKENS.delete(connection, token)


def waiting_activity_task(
    connection: sqlite3.Connection, activity_arn: str
) -> TaskTokenRecord | None:
    """The oldest task of `activity_arn` that no worker has taken yet."""
    found = TASK_TOKENS.select(
        connection,
        "activity_arn = ? AND status = 'WAITING'",
        (activity_arn,),
        order="created_at, token",
        limit=1,
    )
    return found[0] if found else None
