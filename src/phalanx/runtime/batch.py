"""What one scheduler round writes in one transaction (a group commit), and does after.

History events, journal entries, timers, task tokens and finished executions
of every execution the round stepped go in together; the calls to hand to
workers and the callers to answer wait until the commit is done.
"""

from __future__ import annotations

import concurrent.futures
from typing import Any

from phalanx.engine.effects import Callback
from phalanx.engine.history import details_key, to_text
from phalanx.runtime.live import Live
from phalanx.store import Database
from phalanx.store import executions as execution_rows
from phalanx.store import journal as journal_rows
from phalanx.store import map_runs as map_run_rows
from phalanx.store.records import (
    ExecutionRecord,
    HistoryEventRecord,
    JournalEntryRecord,
    MapRunRecord,
    TaskTokenRecord,
    TimerRecord,
)


class Batch:
    """What one round writes in one transaction, and what it does once committed."""

    def __init__(self) -> None:
        self.started: list[ExecutionRecord] = []
        """Executions StartExecution began this round: their rows go in first."""
        self.stored: set[str] = set()
        """ARNs StartExecution asked for this round that name an execution already."""
        self.events: list[HistoryEventRecord] = []
        self.journal: list[JournalEntryRecord] = []
        self.timers: list[TimerRecord] = []
        self.timers_done: list[tuple[str, str]] = []
        self.tokens: list[TaskTokenRecord] = []
        self.tokens_closed: list[tuple[str, str]] = []
        self.tokens_answered: list[str] = []
        self.finished: list[ExecutionRecord] = []
        self.map_runs: list[MapRunRecord] = []
        self.map_runs_ended: list[tuple[str, str, float]] = []
        self.calls: list[tuple[Live, Any]] = []
        self.sends: list[Any] = []
        """`.waitForTaskToken` tasks whose request (carrying the token) goes out once committed."""
        self.replies: list[tuple[concurrent.futures.Future[Any], Any]] = []
        self.activity_tasks = False

    def __bool__(self) -> bool:
        return bool(
            self.started
            or self.events
            or self.journal
            or self.timers
            or self.timers_done
            or self.tokens
            or self.tokens_closed
            or self.tokens_answered
            or self.finished
            or self.map_runs
            or self.map_runs_ended
        )

    def commit(self, db: Database) -> float | None:
        """Write it all in one transaction; answers when the next timer falls due."""
        with db.atomic() as connection:
            execution_rows.insert_many(connection, self.started)
            execution_rows.append_events(connection, self.events)
            journal_rows.append(connection, self.journal)
            for arn, effect_id in self.timers_done:
                journal_rows.delete_timer(connection, arn, effect_id)
            for timer in self.timers:
                journal_rows.set_timer(connection, timer)
            for token in self.tokens:
                journal_rows.arm_token(connection, token)
            for token_text in self.tokens_answered:
                journal_rows.delete_token(connection, token_text)
            for token_text, effect_id in self.tokens_closed:
                found = journal_rows.get_token(connection, token_text)
                if found is not None and found.effect_id == effect_id:
                    journal_rows.set_token_status(connection, token_text, "TIMED_OUT")
            for map_run in self.map_runs:
                map_run_rows.insert(connection, map_run)
            for execution_arn, status, stopped_at in self.map_runs_ended:
                map_run_rows.end_latest(connection, execution_arn, status, stopped_at)
            for record in self.finished:
                execution_rows.set_ended(connection, record)
                journal_rows.delete_timers_of(connection, record.arn)
                journal_rows.delete_tokens_of(connection, record.arn)
            return journal_rows.next_due(connection)


def event_record(arn: str, event: dict[str, Any]) -> HistoryEventRecord:
    key = details_key(event["type"])
    return HistoryEventRecord(
        arn,
        event["id"],
        event["previousEventId"],
        event["timestamp"],
        event["type"],
        event.get(key, {}),
    )


def token_record(arn: str, effect: Callback, now: float) -> TaskTokenRecord:
    """The row of a task token (or activity task) execution `arn` now waits on."""
    return TaskTokenRecord(
        token=effect.token,
        execution_arn=arn,
        effect_id=effect.id,
        state_name=effect.state,
        activity_arn=effect.activity,
        input=to_text(effect.parameters),
        status="WAITING",
        worker_name=None,
        heartbeat_seconds=effect.heartbeat,
        timeout_at=None,
        heartbeat_at=None,
        created_at=now,
    )


_MAP_RUN_ENDS = {"MapRunSucceeded": "SUCCEEDED", "MapRunFailed": "FAILED"}


def note_map_runs(batch: Batch, arn: str, events: list[dict[str, Any]], first: int) -> None:
    """Distributed Map runs started or ended by `events[first:]` (DescribeMapRun reads them)."""
    for index in range(first, len(events)):
        event = events[index]
        if event["type"] == "MapRunStarted":
            total = next(
                (
                    e["mapStateStartedEventDetails"].get("length", 0)
                    for e in reversed(events[:index])
                    if e["type"] == "MapStateStarted"
                ),
                0,
            )
            counts = dict.fromkeys(_COUNTS, 0) | {"pending": total, "total": total}
            batch.map_runs.append(
                MapRunRecord(
                    arn=event["mapRunStartedEventDetails"]["mapRunArn"],
                    execution_arn=arn,
                    status="RUNNING",
                    max_concurrency=0,
                    tolerated_failure_percentage=0.0,
                    tolerated_failure_count=0,
                    item_counts=counts,
                    execution_counts=counts,
                    started_at=event["timestamp"],
                    stopped_at=None,
                )
            )
        elif event["type"] in _MAP_RUN_ENDS:
            batch.map_runs_ended.append((arn, _MAP_RUN_ENDS[event["type"]], event["timestamp"]))


_COUNTS = (
    "pending",
    "running",
    "succeeded",
    "failed",
    "timedOut",
    "aborted",
    "total",
    "resultsWritten",
)
