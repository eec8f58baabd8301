"""How SQLite carries out the statements a store function runs (EXPLAIN QUERY PLAN)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def plans(connection: sqlite3.Connection, run: Callable[[], object]) -> list[str]:
    """One line per statement `run` executes (its bound values written in), steps joined."""
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    try:
        run()
    finally:
        connection.set_trace_callback(None)
    return [
        " / ".join(row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}"))
        for statement in statements
    ]
