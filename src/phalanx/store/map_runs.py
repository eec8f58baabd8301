"""Distributed Map runs, as DescribeMapRun and ListMapRuns show them."""

from __future__ import annotations

import sqlite3

from phalanx.store.records import MapRunRecord
from phalanx.store.tables import Table

MAP_RUNS = Table.of("map_runs", MapRunRecord, ["arn"], ["item_counts", "execution_counts"])


def get(connection: sqlite3.Connection, arn: str) -> MapRunRecord | None:
    return MAP_RUNS.get(connection, arn)


def insert(connection: sqlite3.Connection, map_run: MapRunRecord) -> None:
    MAP_RUNS.insert(connection, map_run)


def update(connection: sqlite3.Connection, map_run: MapRunRecord) -> bool:
    return MAP_RUNS.update(connection, map_run)


def list_for(connection: sqlite3.Connection, execution_arn: str) -> list[MapRunRecord]:
    """An execution's map runs, newest first."""
    return MAP_RUNS.select(
        connection, "execution_arn = ?", (execution_arn,), order="started_at DESC, arn"
    )
