"""The schema, as named migrations applied in order and recorded in `phalanx_migrations`.

Like sqlite-utils' migrations: each migration has a name and a place in the
list; a database records which ones it has. Opening a database applies the
missing ones (an older file is upgraded in place, each migration in its own
transaction), and refuses a file that records a migration this Phalanx does not
know (written by a newer Phalanx) rather than guess at its meaning.

Never edit a migration that has shipped: append a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from phalanx.store.errors import SchemaVersionError


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: a name for humans, statements for SQLite."""

    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "state_machines_activities_tags",
        (
            """CREATE TABLE state_machines (
                arn TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                definition TEXT NOT NULL,
                role_arn TEXT NOT NULL,
                status TEXT NOT NULL,
                revision_id TEXT,
                logging_configuration TEXT NOT NULL,
                tracing_configuration TEXT NOT NULL,
                encryption_configuration TEXT NOT NULL,
                last_version INTEGER NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )""",
            """CREATE TABLE state_machine_versions (
                arn TEXT PRIMARY KEY,
                machine_arn TEXT NOT NULL REFERENCES state_machines(arn) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                type TEXT NOT NULL,
                definition TEXT NOT NULL,
                role_arn TEXT NOT NULL,
                description TEXT,
                revision_id TEXT,
                logging_configuration TEXT NOT NULL,
                tracing_configuration TEXT NOT NULL,
                encryption_configuration TEXT NOT NULL,
                created_at REAL NOT NULL,
                UNIQUE (machine_arn, version)
            )""",
            """CREATE TABLE state_machine_aliases (
                arn TEXT PRIMARY KEY,
                machine_arn TEXT NOT NULL REFERENCES state_machines(arn) ON DELETE CASCADE,
                name TEXT NOT NULL,
                description TEXT,
                routing_configuration TEXT NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )""",
            # One row per version an alias routes to, so that the database itself
            # refuses to delete a version an alias still uses.
            """CREATE TABLE alias_routes (
                alias_arn TEXT NOT NULL
                    REFERENCES state_machine_aliases(arn) ON DELETE CASCADE,
                version_arn TEXT NOT NULL REFERENCES state_machine_versions(arn),
                PRIMARY KEY (alias_arn, version_arn)
            )""",
            "CREATE INDEX alias_routes_by_version ON alias_routes (version_arn)",
            """CREATE TABLE activities (
                arn TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                encryption_configuration TEXT NOT NULL,
                created_at REAL NOT NULL
            )""",
            """CREATE TABLE tags (
                resource_arn TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                position INTEGER NOT NULL,
                PRIMARY KEY (resource_arn, key)
            )""",
        ),
    ),
    Migration(
        "executions_history",
        (
            """CREATE TABLE executions (
                arn TEXT PRIMARY KEY,
                machine_arn TEXT NOT NULL,
                version_arn TEXT,
                alias_arn TEXT,
                map_run_arn TEXT,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                status TEXT NOT NULL,
                definition TEXT NOT NULL,
                role_arn TEXT NOT NULL,
                input TEXT NOT NULL,
                output TEXT,
                error TEXT,
                cause TEXT,
                trace_header TEXT,
                redrive_count INTEGER NOT NULL,
                started_at REAL NOT NULL,
                stopped_at REAL,
                redriven_at REAL
            )""",
            "CREATE INDEX executions_by_machine ON executions (machine_arn, started_at)",
            "CREATE INDEX executions_by_status ON executions (status)",
            """CREATE TABLE history_events (
                execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
                id INTEGER NOT NULL,
                previous_event_id INTEGER NOT NULL,
                timestamp REAL NOT NULL,
                type TEXT NOT NULL,
                details TEXT NOT NULL,
                PRIMARY KEY (execution_arn, id)
            )""",
        ),
    ),
    Migration(
        "journals_timers_task_tokens",
        (
            # The engine's journal: opaque payloads in the order they were recorded.
            """CREATE TABLE journal_entries (
                execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
                sequence INTEGER NOT NULL,
                effect_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                recorded_at REAL NOT NULL,
                PRIMARY KEY (execution_arn, sequence)
            )""",
            """CREATE TABLE timers (
                execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
                effect_id TEXT NOT NULL,
                due_at REAL NOT NULL,
                PRIMARY KEY (execution_arn, effect_id)
            )""",
            "CREATE INDEX timers_by_due ON timers (due_at)",
            """CREATE TABLE task_tokens (
                token TEXT PRIMARY KEY,
                execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
                effect_id TEXT NOT NULL,
                state_name TEXT NOT NULL,
                activity_arn TEXT,
                input TEXT,
                status TEXT NOT NULL,
                worker_name TEXT,
                heartbeat_seconds REAL,
                timeout_at REAL,
                heartbeat_at REAL,
                created_at REAL NOT NULL
            )""",
            "CREATE INDEX task_tokens_by_activity"
            " ON task_tokens (activity_arn, status, created_at)",
        ),
    ),
    Migration(
        "map_runs",
        (
            """CREATE TABLE map_runs (
                arn TEXT PRIMARY KEY,
                execution_arn TEXT NOT NULL REFERENCES executions(arn) ON DELETE CASCADE,
                status TEXT NOT NULL,
                max_concurrency INTEGER NOT NULL,
                tolerated_failure_percentage REAL NOT NULL,
                tolerated_failure_count INTEGER NOT NULL,
                item_counts TEXT NOT NULL,
                execution_counts TEXT NOT NULL,
                started_at REAL NOT NULL,
                stopped_at REAL
            )""",
            "CREATE INDEX map_runs_by_execution ON map_runs (execution_arn, started_at)",
        ),
    ),
    Migration(
        "execution_test_case",
        # An execution started as `<machineArn>#<TestCase>` (Step Functions Local's
        # MockConfigFile) keeps its test case, so a restart mocks it the same way.
        ("ALTER TABLE executions ADD COLUMN test_case TEXT",),
    ),
    Migration(
        "redrive_client_tokens",
        # RedriveExecution's clientToken answers again for 15 minutes, across a
        # restart of the server: the tokens live in the store, not in memory.
        (
            """CREATE TABLE redrive_tokens (
                execution_arn TEXT NOT NULL,
                client_token TEXT NOT NULL,
                redriven_at REAL NOT NULL,
                PRIMARY KEY (execution_arn, client_token)
            )""",
        ),
    ),
    Migration(
        "listing_indexes",
        # ListExecutions pages in SQL, newest first (`started_at DESC, arn`): each listing
        # has an index in that order, so a page seeks to its first row and reads no more
        # than it returns (no sort, no scan of the machine's older executions). Version,
        # alias and map run indexes are partial: most executions belong to none.
        (
            "DROP INDEX executions_by_machine",
            "DROP INDEX executions_by_status",
            "CREATE INDEX executions_listed ON executions (machine_arn, started_at DESC, arn)",
            "CREATE INDEX executions_listed_by_status"
            " ON executions (machine_arn, status, started_at DESC, arn)",
            "CREATE INDEX executions_listed_by_version"
            " ON executions (version_arn, started_at DESC, arn) WHERE version_arn IS NOT NULL",
            "CREATE INDEX executions_listed_by_alias"
            " ON executions (alias_arn, started_at DESC, arn) WHERE alias_arn IS NOT NULL",
            "CREATE INDEX executions_listed_by_map_run"
            " ON executions (map_run_arn, started_at DESC, arn) WHERE map_run_arn IS NOT NULL",
            # Recovery reads the RUNNING executions oldest first.
            "CREATE INDEX executions_by_status ON executions (status, started_at, arn)",
            # An execution that ends deletes its task tokens (timers and journal entries
            # are keyed by execution already).
            "CREATE INDEX task_tokens_by_execution ON task_tokens (execution_arn)",
            # ListStateMachines pages by name.
            "CREATE INDEX state_machines_by_name ON state_machines (name)",
        ),
    ),
)

_CREATE_TABLE = """CREATE TABLE IF NOT EXISTS phalanx_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)"""


def applied(connection: sqlite3.Connection) -> list[tuple[int, str]]:
    """The (version, name) pairs a database records, oldest first."""
    connection.execute(_CREATE_TABLE)
    rows = connection.execute("SELECT version, name FROM phalanx_migrations ORDER BY version")
    return [(int(version), str(name)) for version, name in rows]


def migrate(
    connection: sqlite3.Connection,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    label: str = "the database",
) -> int:
    """Bring `connection` up to date with `migrations`; answer the schema version reached.

    The connection must be in autocommit mode (`isolation_level=None`): each
    migration runs in its own `BEGIN IMMEDIATE` transaction with its record, so
    an interrupted upgrade leaves a consistent, older version behind.
    """
    done = applied(connection)
    known = [(number, m.name) for number, m in enumerate(migrations, start=1)]
    if done[: len(known)] != known[: len(done)] or len(done) > len(known):
        raise SchemaVersionError(_refusal(label, done, known))
    for number, migration in enumerate(migrations, start=1):
        if number <= len(done):
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in migration.statements:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO phalanx_migrations (version, name) VALUES (?, ?)",
                (number, migration.name),
            )
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    return len(known)


def _refusal(label: str, done: list[tuple[int, str]], known: list[tuple[int, str]]) -> str:
    version, name = done[-1]
    newest_known = f"version {known[-1][0]} ({known[-1][1]!r})" if known else "no version"
    if len(done) > len(known):
        return (
            f"{label} has schema version {version} ({name!r}), newer than this Phalanx knows "
            f"(up to {newest_known}): upgrade Phalanx to open it, or use another --db"
        )
    first = next(i for i, pair in enumerate(done) if i >= len(known) or pair != known[i])
    return (
        f"{label} records migration {done[first][0]} as {done[first][1]!r} where this Phalanx "
        f"has {known[first][1]!r} (it knows up to {newest_known}): it was not written by this "
        "line of Phalanx versions; use another --db"
    )
