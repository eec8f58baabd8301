"""The embedded store: one SQLite file (WAL) holding everything `phalanx serve` knows.

    from phalanx.store import Database, machines
    with Database.open(path) as db, db.atomic() as connection:
        machines.get(connection, arn)

`Database` opens, migrates and guards the file (`migrations`, `lock`); the
table modules (`machines`, `activities`, `tags`, `executions`, `journal`,
`map_runs`, `redrive_tokens`) are plain functions over a connection taking and
returning the records of `records`. SQL only: no engine objects, no clock (callers pass times).
"""

from __future__ import annotations

from phalanx.store.database import DEFAULT_PATH, Database
from phalanx.store.errors import DatabaseLocked, SchemaVersionError, StoreError
from phalanx.store.migrations import MIGRATIONS, Migration

__all__ = [
    "DEFAULT_PATH",
    "MIGRATIONS",
    "Database",
    "DatabaseLocked",
    "Migration",
    "SchemaVersionError",
    "StoreError",
]
