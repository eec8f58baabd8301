"""Distributed Map runs, as DescribeMapRun and ListMapRuns show them."""

from __future__ import annotations

import dataclasses
import sqlite3

from phalanx.store.records import MapRunRecord
from phalanx.store.tables import Table

MAP_RUNS = Table.of("map_runs", MapRunRecord, ["arn"], ["item_counts", "execution_counts"])


def get(connection: sqlite3.Connection, arn: str) -> MapRunRecord | None:
    return MAP_RUNS.get(connection, arn)


def insert(connection: sqlite3.Connection, map_run: MapRunRecord) -> None:
    """Record a map run; a Map state entered again with the same ARN starts it afresh."""
    MAP_RUNS.insert(connection, map_run, replace=True)


def update(connection: sqlite3.Connection, map_run: MapRunRecord) -> bool:
    return MAP_RUNS.update(connection, map_run)


def list_for(connection: sqlite3.Connection, execution_arn: str) -> list[MapRunRecord]:
    """An execution's map runs, newest first."""
    return MAP_RUNS.select(
        connection, "execution_arn = ?", (execution_arn,), order="started_at DESC, arn"
    )


def end_latest(
    connection: sqlite3.Connection, execution_arn: str, status: str, stopped_at: float
) -> MapRunRecord | None:
    """End the execution's newest RUNNING map run with `status` (its items counted so)."""
    running = MAP_RUNS.select(
        connection,
        "execution_arn = ? AND status = 'RUNNING'",
        (execution_arn,),
        order="started_at DESC, arn DESC",
        limit=1,
    )
    if not running:
        return None
    counts = dict(running[0].item_counts)
    total = counts.get("total", 0)
    outcome = {"SUCCEEDED": "succeeded", "FAILED": "failed", "ABORTED": "aborted"}[status]
    counts.update({"pending": 0, "running": 0, outcome: total})
    ended = dataclasses.replace(
        running[0],
        status=status,
        stopped_at=stopped_at,
        item_counts=counts,
        execution_counts=counts,
    )
    MAP_RUNS.update(connection, ended)
    return ended
