"""RedriveExecution's client tokens: which redrive each one answered, per execution.

AWS answers the last 10 tokens that redrove an execution, each for 15 minutes
after its first use (RedriveExecution, `clientToken`); the caller passes the
limits and the time.
"""

from __future__ import annotations

import sqlite3


def answered(
    connection: sqlite3.Connection, execution_arn: str, token: str, since: float
) -> float | None:
    """When `token` redrove `execution_arn`, if it did at `since` or later; else None."""
    row = connection.execute(
        "SELECT redriven_at FROM redrive_tokens"
        " WHERE execution_arn = ? AND client_token = ? AND redriven_at >= ?",
        (execution_arn, token, since),
    ).fetchone()
    return None if row is None else float(row[0])


def remember(
    connection: sqlite3.Connection,
    execution_arn: str,
    token: str,
    redriven_at: float,
    *,
    keep: int,
    since: float,
) -> None:
    """Note that `token` redrove `execution_arn`; keep its newest `keep` used since `since`."""
    connection.execute(
        "INSERT OR REPLACE INTO redrive_tokens (execution_arn, client_token, redriven_at)"
        " VALUES (?, ?, ?)",
        (execution_arn, token, redriven_at),
    )
    connection.execute(
        "DELETE FROM redrive_tokens WHERE execution_arn = ? AND (redriven_at < ? OR rowid NOT IN"
        " (SELECT rowid FROM redrive_tokens WHERE execution_arn = ?"
        " ORDER BY redriven_at DESC, rowid DESC LIMIT ?))",
        (execution_arn, since, execution_arn, keep),
    )
