"""Transactions nest as savepoints; one server holds a database at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from phalanx.store import Database, DatabaseLocked, tags
from phalanx.store.records import Tag

ARN = "arn:aws:states:us-east-1:123456789012:activity:a"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database.open(tmp_path / "phalanx.db")


def test_atomic_commits_the_block(db: Database) -> None:
    with db.atomic() as connection:
        tags.put(connection, ARN, [Tag("k", "v")])
    with db.atomic() as connection:
        assert tags.list_for(connection, ARN) == [Tag("k", "v")]


def test_atomic_rolls_back_the_block_that_raised(db: Database) -> None:
    with pytest.raises(RuntimeError), db.atomic() as connection:
        tags.put(connection, ARN, [Tag("k", "v")])
        raise RuntimeError("boom")
    with db.atomic() as connection:
        assert tags.list_for(connection, ARN) == []


def test_a_nested_block_rolls_back_alone(db: Database) -> None:
    with db.atomic() as connection:
        tags.put(connection, ARN, [Tag("kept", "1")])
        with pytest.raises(RuntimeError), db.atomic() as inner:
            tags.put(inner, ARN, [Tag("dropped", "2")])
            raise RuntimeError("boom")
        tags.put(connection, ARN, [Tag("also-kept", "3")])
    with db.atomic() as connection:
        assert [t.key for t in tags.list_for(connection, ARN)] == ["kept", "also-kept"]


def test_a_second_server_on_the_same_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "phalanx.db"
    with Database.open(path, exclusive=True):
        with pytest.raises(DatabaseLocked, match=r"in use by another Phalanx server \(pid \d+\)"):
            Database.open(path, exclusive=True)
        with Database.open(path) as reader, reader.atomic() as connection:  # readers may share
            assert tags.list_for(connection, ARN) == []
    with Database.open(path, exclusive=True):  # released on close
        pass


def test_the_default_folder_is_created(tmp_path: Path) -> None:
    with Database.open(tmp_path / ".phalanx" / "phalanx.db"):
        pass
    assert (tmp_path / ".phalanx" / "phalanx.db").is_file()


def test_a_reader_never_holds_up_the_server_s_writes(tmp_path: Path) -> None:
    path = tmp_path / "phalanx.db"
    with Database.open(path, exclusive=True) as server, Database.open(path) as reader:
        with reader.atomic(write=False) as reading:
            assert tags.list_for(reading, ARN) == []
            with server.atomic() as writing:  # would wait out busy_timeout, then fail, if blocked
                tags.put(writing, ARN, [Tag("k", "v")])
            assert tags.list_for(reading, ARN) == []  # the snapshot the reader began with
        with reader.atomic(write=False) as reading:
            assert tags.list_for(reading, ARN) == [Tag("k", "v")]
