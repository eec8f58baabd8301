"""Opening a database brings it up to date; a newer or foreign one is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from phalanx.store import (
    MIGRATIONS,
    Database,
    Migration,
    SchemaVersionError,
    StoreError,
    machines,
)
from phalanx.store.migrations import applied, migrate
from phalanx.store.records import StateMachineRecord


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_a_fresh_file_gets_every_migration_in_order(tmp_path: Path) -> None:
    with Database.open(tmp_path / "fresh.db") as db:
        assert db.schema_version == len(MIGRATIONS)
    connection = _connect(tmp_path / "fresh.db")
    assert applied(connection) == [(i, m.name) for i, m in enumerate(MIGRATIONS, start=1)]
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_file_is_upgraded_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    connection = _connect(path)
    migrate(connection, MIGRATIONS[:1])
    machine = StateMachineRecord(
        arn="arn:aws:states:us-east-1:123456789012:stateMachine:m",
        name="m",
        type="STANDARD",
        definition='{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}',
        role_arn="arn:aws:iam::123456789012:role/r",
        status="ACTIVE",
        revision_id=None,
        logging_configuration={"level": "OFF"},
        tracing_configuration={},
        encryption_configuration={},
        last_version=0,
        created_at=1.5,
        updated_at=1.5,
    )
    connection.execute("BEGIN")
    machines.insert(connection, machine)
    connection.execute("COMMIT")
    connection.close()

    with Database.open(path) as db, db.atomic() as upgraded:
        assert db.schema_version == len(MIGRATIONS)
        assert machines.get(upgraded, machine.arn) == machine
        assert upgraded.execute("SELECT COUNT(*) FROM executions").fetchone() == (0,)


def test_a_file_from_a_newer_phalanx_is_refused_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    future = (*MIGRATIONS, Migration("from_the_future", ("CREATE TABLE future (x)",)))
    migrate(_connect(path), future)
    newest = len(MIGRATIONS)
    with pytest.raises(SchemaVersionError) as refused:
        Database.open(path)
    message = str(refused.value)
    assert f"schema version {newest + 1} ('from_the_future')" in message
    assert f"up to version {newest} ({MIGRATIONS[-1].name!r})" in message


def test_a_file_with_a_different_migration_history_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "foreign.db"
    migrate(_connect(path), (Migration("someone_else", ("CREATE TABLE other (x)",)),))
    with pytest.raises(SchemaVersionError, match="'someone_else' where this Phalanx has"):
        Database.open(path)


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    connection = _connect(tmp_path / "broken.db")
    broken = (MIGRATIONS[0], Migration("broken", ("CREATE TABLE t (x)", "NOT SQL")))
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, broken)
    assert applied(connection) == [(1, MIGRATIONS[0].name)]
    assert connection.execute("SELECT name FROM sqlite_master WHERE name = 't'").fetchall() == []


def test_a_file_that_is_not_sqlite_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for" * 100)
    with pytest.raises(StoreError, match=r"notes\.db: not a usable SQLite database"):
        Database.open(path)
