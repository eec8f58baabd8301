"""Map record dataclasses to rows and back, so each table module is a few queries.

A `Table` knows its name, its record type, its key and which columns hold
JSON (records nested in them are written as objects and rebuilt by the
column's `decoders` entry); columns are named as the record's fields.
"""

from __future__ import annotations

import dataclasses
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Record = TypeVar("Record")


@dataclass(frozen=True, slots=True)
class Table(Generic[Record]):
    """How one record type is stored: `json` columns are encoded, `key` identifies a row."""

    name: str
    record: Callable[..., Record]
    fields: tuple[str, ...]
    key: tuple[str, ...]
    json: frozenset[str] = frozenset()
    decoders: Mapping[str, Callable[[Any], Any]] = dataclasses.field(default_factory=dict)
    _values: Callable[[Any], tuple[object, ...]] = dataclasses.field(
        init=False, repr=False, compare=False
    )
    """A record's fields as a tuple in column order: one C call, not a getattr each."""
    _json_indexes: tuple[int, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        get = operator.attrgetter(*self.fields)
        values = (lambda record: (get(record),)) if len(self.fields) == 1 else get
        object.__setattr__(self, "_values", values)
        indexes = tuple(index for index, name in enumerate(self.fields) if name in self.json)
        object.__setattr__(self, "_json_indexes", indexes)

    @classmethod
    def of(
        cls,
        name: str,
        record: type[Record],
        key: Sequence[str],
        json: Iterable[str] = (),
        decoders: Mapping[str, Callable[[Any], Any]] | None = None,
    ) -> Table[Record]:
        fields = tuple(f.name for f in dataclasses.fields(record))  # type: ignore[arg-type]
        return cls(name, record, fields, tuple(key), frozenset(json), dict(decoders or {}))

    @property
    def columns(self) -> str:
        return ", ".join(self.fields)

    def insert(
        self, connection: sqlite3.Connection, record: Record, *, replace: bool = False
    ) -> None:
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        marks = ", ".join("?" for _ in self.fields)
        connection.execute(
            f"{verb} INTO {self.name} ({self.columns}) VALUES ({marks})", self._row(record)
        )

    def insert_many(self, connection: sqlite3.Connection, records: Iterable[Record]) -> None:
        """Insert several records with one statement (a group commit writes thousands)."""
        marks = ", ".join("?" for _ in self.fields)
        connection.executemany(
            f"INSERT INTO {self.name} ({self.columns}) VALUES ({marks})",
            [self._row(record) for record in records],
        )

    def get(self, connection: sqlite3.Connection, *key: object) -> Record | None:
        found = self.select(connection, self._key_clause(), key)
        return found[0] if found else None

    def select(
        self,
        connection: sqlite3.Connection,
        where: str = "1",
        parameters: Sequence[object] = (),
        *,
        order: str | None = None,
        limit: int | None = None,
    ) -> list[Record]:
        query = f"SELECT {self.columns} FROM {self.name} WHERE {where}"
        if order:
            query += f" ORDER BY {order}"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return [self._record(row) for row in connection.execute(query, tuple(parameters))]

    def update(self, connection: sqlite3.Connection, record: Record) -> bool:
        """Write every non-key field of `record`; False if no row has its key."""
        values = {name: value for name, value in zip(self.fields, self._row(record), strict=True)}
        changed = [name for name in self.fields if name not in self.key]
        assignments = ", ".join(f"{name} = ?" for name in changed)
        cursor = connection.execute(
            f"UPDATE {self.name} SET {assignments} WHERE {self._key_clause()}",
            [values[name] for name in changed] + [values[name] for name in self.key],
        )
        return cursor.rowcount > 0

    def delete(self, connection: sqlite3.Connection, *key: object) -> bool:
        cursor = connection.execute(f"DELETE FROM {self.name} WHERE {self._key_clause()}", key)
        return cursor.rowcount > 0

    def _key_clause(self) -> str:
        return " AND ".join(f"{name} = ?" for name in self.key)

    def _row(self, record: Record) -> Sequence[object]:
        values: tuple[object, ...] = self._values(record)
        if not self.json:
            return values
        row = list(values)
        for index in self._json_indexes:
            row[index] = _ENCODER.encode(row[index])
        return row

    def _record(self, row: Sequence[Any]) -> Record:
        if not self.json and not self.decoders:
            return self.record(*row)
        values = list(row)
        for index in self._json_indexes:
            values[index] = json.loads(values[index])
        for index, name in enumerate(self.fields):
            decode = self.decoders.get(name)
            if decode is not None:
                values[index] = decode(values[index])
        return self.record(*values)


def _plain(value: object) -> object:
    """Records nested in a JSON column are written as objects of their fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


MAX_VARIABLES = 500
"""Parameters in one statement, well under SQLite's lowest limit (999)."""


def in_chunks(values: Iterable[object]) -> Iterator[tuple[str, list[object]]]:
    """`(marks, chunk)` pairs for `... IN ({marks})` over `values`, a statement's worth each."""
    wanted = list(values)
    for first in range(0, len(wanted), MAX_VARIABLES):
        chunk = wanted[first : first + MAX_VARIABLES]
        yield ", ".join("?" for _ in chunk), chunk


_ENCODER = json.JSONEncoder(separators=(",", ":"), default=_plain)
"""Made once (`json.dumps` with options makes one a call)."""
