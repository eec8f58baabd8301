"""Tags of any resource (state machines, activities), in the order they were first set."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from phalanx.store.records import Tag


def list_for(connection: sqlite3.Connection, resource_arn: str) -> list[Tag]:
    rows = connection.execute(
        "SELECT key, value FROM tags WHERE resource_arn = ? ORDER BY position", (resource_arn,)
    )
    return [Tag(str(key), str(value)) for key, value in rows]


def put(connection: sqlite3.Connection, resource_arn: str, new_tags: Iterable[Tag]) -> None:
    """Add tags; a key already set keeps its place and takes the new value."""
    (position,) = connection.execute(
        "SELECT COALESCE(MAX(position), 0) FROM tags WHERE resource_arn = ?", (resource_arn,)
    ).fetchone()
    for tag in new_tags:
        position += 1
        connection.execute(
            "INSERT INTO tags (resource_arn, key, value, position) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value",
            (resource_arn, tag.key, tag.value, position),
        )


def remove(connection: sqlite3.Connection, resource_arn: str, keys: Iterable[str]) -> None:
    connection.executemany(
        "DELETE FROM tags WHERE resource_arn = ? AND key = ?", [(resource_arn, k) for k in keys]
    )


def delete_all(connection: sqlite3.Connection, resource_arn: str) -> None:
    connection.execute("DELETE FROM tags WHERE resource_arn = ?", (resource_arn,))
