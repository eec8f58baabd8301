"""Activities: named queues of tasks that workers poll with GetActivityTask."""

from __future__ import annotations

import sqlite3

from phalanx.store import tags
from phalanx.store.records import ActivityRecord
from phalanx.store.tables import Table

ACTIVITIES = Table.of("activities", ActivityRecord, ["arn"], ["encryption_configuration"])


def get(connection: sqlite3.Connection, arn: str) -> ActivityRecord | None:
    return ACTIVITIES.get(connection, arn)


def insert(connection: sqlite3.Connection, activity: ActivityRecord) -> None:
    ACTIVITIES.insert(connection, activity)


def list_all(connection: sqlite3.Connection, arn_prefix: str) -> list[ActivityRecord]:
    """Every activity whose ARN starts with `arn_prefix` (one region and account), by name."""
    return ACTIVITIES.select(
        connection, "substr(arn, 1, ?) = ?", (len(arn_prefix), arn_prefix), order="name"
    )


def delete(connection: sqlite3.Connection, arn: str) -> bool:
    tags.delete_all(connection, arn)
    return ACTIVITIES.delete(connection, arn)
