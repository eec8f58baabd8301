"""One server per database file: an exclusive `flock` on `<db>.lock`.

Why a lock file and not SQLite's own locking: SQLite lets many processes share a
WAL database, which is exactly what must not happen with two schedulers firing
the same timers. An advisory `flock` on a side file is held for the life of the
open file description, so the kernel releases it when the process dies, even on
`kill -9`: a crashed server never leaves a stale lock behind. The file holds the
holder's pid, only to name it in the refusal message.

POSIX only (`fcntl`); on Windows `msvcrt.locking` plays the same part.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from phalanx.store.errors import DatabaseLocked

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def lock_path(database: Path) -> Path:
    """Where the lock of `database` lives: beside it, with `.lock` appended."""
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    """The exclusive lock of one database file, held until `release()`."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._file: IO[str] | None = None

    def acquire(self) -> DatabaseLock:
        """Take the lock or raise `DatabaseLocked` naming the holder; never waits."""
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise DatabaseLocked(
                f"{self.database} is in use by another Phalanx server (pid {holder}); "
                "stop that server or pass another --db"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        """Let the next server in; safe to call twice."""
        if self._file is not None:
            self._file.truncate(0)
            _unlock(self._file)
            self._file.close()
            self._file = None


def _lock(handle: IO[str]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)


def _unlock(handle: IO[str]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
