"""State machines, their versions and aliases.

Deleting a machine deletes its versions and aliases (foreign keys cascade), as
AWS's DeleteStateMachine does; a version an alias routes to cannot be deleted
(`alias_routes` references it), as DeleteStateMachineVersion refuses.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from phalanx.store import tags
from phalanx.store.records import (
    RoutingEntry,
    StateMachineAliasRecord,
    StateMachineRecord,
    StateMachineSummary,
    StateMachineVersionRecord,
)
from phalanx.store.tables import Table

_CONFIGURATIONS = ("logging_configuration", "tracing_configuration", "encryption_configuration")


def _routing(items: list[dict[str, Any]]) -> tuple[RoutingEntry, ...]:
    return tuple(RoutingEntry(**item) for item in items)


MACHINES = Table.of("state_machines", StateMachineRecord, ["arn"], _CONFIGURATIONS)
SUMMARIES = Table.of("state_machines", StateMachineSummary, ["arn"])
VERSIONS = Table.of("state_machine_versions", StateMachineVersionRecord, ["arn"], _CONFIGURATIONS)
ALIASES = Table.of(
    "state_machine_aliases",
    StateMachineAliasRecord,
    ["arn"],
    ["routing_configuration"],
    {"routing_configuration": _routing},
)


def get(connection: sqlite3.Connection, arn: str) -> StateMachineRecord | None:
    return MACHINES.get(connection, arn)


def insert(connection: sqlite3.Connection, machine: StateMachineRecord) -> None:
    MACHINES.insert(connection, machine)


def update(connection: sqlite3.Connection, machine: StateMachineRecord) -> None:
    MACHINES.update(connection, machine)


def list_all(
    connection: sqlite3.Connection,
    arn_prefix: str,
    *,
    after_name: str | None = None,
    limit: int | None = None,
) -> list[StateMachineSummary]:
    """The machines whose ARN starts with `arn_prefix` (one region and account), by name,
    from just past `after_name`, at most `limit` of them.
    """
    where, parameters = "substr(arn, 1, ?) = ?", [len(arn_prefix), arn_prefix]
    if after_name is not None:
        where += " AND name > ?"
        parameters.append(after_name)
    return SUMMARIES.select(connection, where, parameters, order="name", limit=limit)


def delete(connection: sqlite3.Connection, arn: str) -> bool:
    """Delete a machine with its versions, aliases and tags; False if there was none."""
    connection.execute(
        "DELETE FROM alias_routes WHERE alias_arn IN "
        "(SELECT arn FROM state_machine_aliases WHERE machine_arn = ?)",
        (arn,),
    )
    tags.delete_all(connection, arn)
    return MACHINES.delete(connection, arn)


def get_version(connection: sqlite3.Connection, arn: str) -> StateMachineVersionRecord | None:
    return VERSIONS.get(connection, arn)


def insert_version(connection: sqlite3.Connection, version: StateMachineVersionRecord) -> None:
    VERSIONS.insert(connection, version)


def list_versions(
    connection: sqlite3.Connection, machine_arn: str
) -> list[StateMachineVersionRecord]:
    """A machine's versions, newest first (as ListStateMachineVersions orders them)."""
    return VERSIONS.select(connection, "machine_arn = ?", (machine_arn,), order="version DESC")


def version_of_revision(
    connection: sqlite3.Connection, machine_arn: str, revision_id: str | None
) -> StateMachineVersionRecord | None:
    """The version already published from `revision_id` (None: the initial revision)."""
    found = VERSIONS.select(
        connection,
        "machine_arn = ? AND revision_id IS ?",
        (machine_arn, revision_id),
        order="version DESC",
        limit=1,
    )
    return found[0] if found else None


def delete_version(connection: sqlite3.Connection, arn: str) -> bool:
    return VERSIONS.delete(connection, arn)


def aliases_routing_to(connection: sqlite3.Connection, version_arn: str) -> list[str]:
    """ARNs of the aliases that send executions to `version_arn`."""
    rows = connection.execute(
        "SELECT alias_arn FROM alias_routes WHERE version_arn = ? ORDER BY alias_arn",
        (version_arn,),
    )
    return [str(arn) for (arn,) in rows]


def get_alias(connection: sqlite3.Connection, arn: str) -> StateMachineAliasRecord | None:
    return ALIASES.get(connection, arn)


def put_alias(connection: sqlite3.Connection, alias: StateMachineAliasRecord) -> None:
    """Create or replace an alias and the routes that pin its versions."""
    ALIASES.insert(connection, alias, replace=True)
    connection.execute("DELETE FROM alias_routes WHERE alias_arn = ?", (alias.arn,))
    connection.executemany(
        "INSERT INTO alias_routes (alias_arn, version_arn) VALUES (?, ?)",
        [(alias.arn, entry.version_arn) for entry in alias.routing_configuration],
    )


def list_aliases(
    connection: sqlite3.Connection, machine_arn: str, version_arn: str | None = None
) -> list[StateMachineAliasRecord]:
    """A machine's aliases (only those routing to `version_arn` if given), newest first."""
    if version_arn is None:
        return ALIASES.select(
            connection, "machine_arn = ?", (machine_arn,), order="created_at DESC, arn"
        )
    return ALIASES.select(
        connection,
        "arn IN (SELECT alias_arn FROM alias_routes WHERE version_arn = ?)",
        (version_arn,),
        order="created_at DESC, arn",
    )


def delete_alias(connection: sqlite3.Connection, arn: str) -> bool:
    connection.execute("DELETE FROM alias_routes WHERE alias_arn = ?", (arn,))
    return ALIASES.delete(connection, arn)
