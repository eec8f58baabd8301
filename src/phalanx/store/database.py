"""Open the SQLite database (WAL), bring its schema up to date, run work in transactions.

    db = Database.open(".phalanx/phalanx.db", exclusive=True)   # a server: holds the lock
    with db.atomic() as connection:                             # one transaction
        ...
        with db.atomic():                                       # nested: a savepoint
            ...
    db.close()

Writes go through one connection shared by the threads of one process,
guarded by a re-entrant lock: SQLite serialises writers anyway, and one
connection keeps a transaction and its savepoints on the thread that opened
them (as sqlite-utils' `atomic`). Reads (`atomic(write=False)`) outside a
write take a connection of their own from a small pool, so that an API
request reading a row never waits for the scheduler's commit (WAL lets
readers and one writer work at once); an in-memory database has one
connection for everything.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from phalanx.store.errors import StoreError
from phalanx.store.lock import DatabaseLock
from phalanx.store.migrations import MIGRATIONS, migrate

DEFAULT_PATH = Path(".phalanx") / "phalanx.db"
"""Where `phalanx serve` keeps its data unless `--db` says otherwise (relative to the cwd)."""

# How long a statement waits for another process's write (a CLI view, say) before failing.
_BUSY_TIMEOUT_MS = 5_000


class Database:
    """An open Phalanx database; create it with `Database.open`."""

    def __init__(
        self, path: Path, connection: sqlite3.Connection, lock: DatabaseLock | None
    ) -> None:
        self.path = path
        self.schema_version = 0
        self._connection = connection
        self._lock = lock
        self._guard = threading.RLock()
        self._depth = 0
        self._writer: int | None = None
        """The thread inside a write transaction (its reads nest in it)."""
        self._readers: queue.SimpleQueue[sqlite3.Connection] | None = None
        self._opened: list[sqlite3.Connection] = []

    @classmethod
    def open(cls, path: str | Path = DEFAULT_PATH, *, exclusive: bool = False) -> Database:
        """Open (creating it and its folder if needed) and migrate the database at `path`.

        `exclusive=True` is for a server: it takes `<path>.lock` first and raises
        `DatabaseLocked` if another server holds it. `":memory:"` opens a
        private in-memory database (tests).
        """
        memory = str(path) == ":memory:"
        target = Path(path)
        lock = None
        if not memory:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                if exclusive:
                    lock = DatabaseLock(target).acquire()
            except OSError as exc:
                raise StoreError(f"{target}: cannot open the database: {exc}") from exc
        try:
            connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            if lock is not None:
                lock.release()
            raise StoreError(f"{target}: cannot open the database: {exc}") from exc
        database = cls(target, connection, lock)
        try:
            database._prepare(memory)
        except BaseException:
            database.close()
            raise
        return database

    def _prepare(self, memory: bool) -> None:
        try:
            self._connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            if not memory:
                mode = self._connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(f"{self.path}: SQLite refused WAL mode (got {mode!r})")
            # NORMAL in WAL mode: a commit survives the process being killed (the WAL is
            # written before COMMIT returns); only a power cut may lose the last commits.
            self._connection.execute("PRAGMA synchronous = NORMAL")
            self._connection.execute("PRAGMA foreign_keys = ON")
            self.schema_version = migrate(self._connection, MIGRATIONS, label=str(self.path))
            if not memory:
                self._readers = queue.SimpleQueue()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable SQLite database: {exc}") from exc

    @contextlib.contextmanager
    def atomic(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A transaction, or a savepoint inside one; rolled back if the block raises.

        `write=False` is for another process that only reads (a CLI view beside a
        running server): its transaction takes no write lock, so it never holds
        up the server's commits (WAL readers see the last commit before they began).
        """
        if not write and self._readers is not None and self._writer != threading.get_ident():
            with self._reading() as connection:
                yield connection
            return
        with self._guard:
            connection = self._connection
            if self._depth == 0:
                self._writer = threading.get_ident()
                connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                begin, commit, rollback = None, "COMMIT", "ROLLBACK"
            else:
                name = f"phalanx_{self._depth}"
                begin = f"SAVEPOINT {name}"
                commit = f"RELEASE {name}"
                rollback = f"ROLLBACK TO {name}; RELEASE {name}"
            if begin is not None:
                connection.execute(begin)
            self._depth += 1
            try:
                yield connection
            except BaseException:
                self._leave()
                for statement in rollback.split("; "):
                    connection.execute(statement)
                raise
            self._leave()
            connection.execute(commit)

    def _leave(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._writer = None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on a pooled connection: it sees the last commit before it."""
        assert self._readers is not None
        try:
            connection = self._readers.get_nowait()
        except queue.Empty:
            connection = self._open_reader()
        try:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("COMMIT")
        finally:
            self._readers.put(connection)

    def _open_reader(self) -> sqlite3.Connection:
        connection = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA query_only = ON")
        with self._guard:
            self._opened.append(connection)
        return connection

    def close(self) -> None:
        """Close the connection and let the next server in; safe to call twice."""
        with self._guard:
            for reader in self._opened:
                reader.close()
            self._opened.clear()
            self._connection.close()
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
