"""Why a database cannot be used: refused schema versions, a file held by another server.

PhalanxError
 └── StoreError
      ├── SchemaVersionError   the file was written by a newer Phalanx, or another lineage
      └── DatabaseLocked       another server holds the file
"""

from __future__ import annotations

from phalanx.errors import PhalanxError


class StoreError(PhalanxError):
    """A database that cannot be opened or used; the message says which file and why."""


class SchemaVersionError(StoreError):
    """The file's schema is not one this Phalanx can upgrade (newer, or unknown migrations)."""


class DatabaseLocked(StoreError):
    """Another process holds the database's lock file: one server per database."""
