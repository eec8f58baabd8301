"""What a StartExecution runs: a machine, one of its versions, or what an alias routes to.

Reading the machine, version and alias rows on every start cost as much as
the rest of a one-state execution, so what they resolve to is kept between
requests (`Targets`). Every API write to machines, versions or aliases goes
through `Targets.changing`, which forgets what was kept once its transaction
has committed; a read that overlapped such a write is not kept (the
generation it started in has passed), so no start ever sees a stale row.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from phalanx.api import arns
from phalanx.api.errors import ApiError, state_machine_does_not_exist
from phalanx.store import Database, machines
from phalanx.store.records import (
    StateMachineAliasRecord,
    StateMachineRecord,
    StateMachineVersionRecord,
)

MAX_KEPT = 1024
"""Resolved ARNs kept at most (all are forgotten when there are more)."""


@dataclass(frozen=True, slots=True)
class Target:
    """What an execution runs: a machine's revision, a version, or what an alias chose."""

    machine_arn: str
    machine_name: str
    version_arn: str | None
    alias_arn: str | None
    type: str
    definition: str
    role_arn: str
    test_case: str | None


@dataclass(frozen=True, slots=True)
class _Rows:
    """The rows one ARN names: its machine, its alias (if one), the versions it may run."""

    machine: StateMachineRecord
    alias: StateMachineAliasRecord | None
    version_arn: str | None
    """The version a version ARN names (an alias chooses one at each start)."""
    versions: dict[str, StateMachineVersionRecord]


class Targets:
    """Machines, versions and aliases as StartExecution resolves them, kept between requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._kept: dict[str, _Rows] = {}

    @contextlib.contextmanager
    def changing(self, db: Database) -> Iterator[sqlite3.Connection]:
        """A write transaction on machines, versions or aliases; forgets what was kept."""
        try:
            with db.atomic() as connection:
                yield connection
        finally:
            with self._lock:
                self._generation += 1
                self._kept.clear()

    def resolve(self, db: Database, requested: str) -> Target:
        """The machine, version or alias `requested` names (`#TestCase` split off)."""
        arn_text, _, test_case = requested.partition("#")
        rows = self._kept.get(arn_text)
        if rows is None:
            generation = self._generation
            rows = _read(db, arn_text)
            with self._lock:
                if generation == self._generation:
                    if len(self._kept) >= MAX_KEPT:
                        self._kept.clear()
                    self._kept[arn_text] = rows
        return _target(rows, arn_text, test_case or None)


def _read(db: Database, arn_text: str) -> _Rows:
    parsed = arns.state_machine(arn_text, version=True, alias=True)
    with db.atomic(write=False) as connection:
        machine = machines.get(connection, parsed.base)
        if machine is None:
            raise state_machine_does_not_exist(arn_text)
        alias = None
        version_arns = [arn_text] if parsed.is_version else []
        if parsed.is_alias:
            alias = machines.get_alias(connection, arn_text)
            if alias is None:
                raise ApiError("ResourceNotFound", f"Resource not found: '{arn_text}'")
            version_arns = [route.version_arn for route in alias.routing_configuration]
        versions = {}
        for version_arn in version_arns:
            version = machines.get_version(connection, version_arn)
            if version is not None:
                versions[version_arn] = version
    return _Rows(machine, alias, arn_text if parsed.is_version else None, versions)


def _target(rows: _Rows, arn_text: str, test_case: str | None) -> Target:
    machine, alias, version_arn = rows.machine, rows.alias, rows.version_arn
    if alias is not None:
        routes = alias.routing_configuration
        version_arn = random.choices(
            [route.version_arn for route in routes], [route.weight for route in routes]
        )[0]
    version = rows.versions.get(version_arn) if version_arn is not None else None
    if version_arn is not None and version is None:
        raise state_machine_does_not_exist(arn_text)
    shown = version or machine
    return Target(
        machine.arn,
        machine.name,
        version_arn,
        None if alias is None else alias.arn,
        shown.type,
        shown.definition,
        shown.role_arn,
        test_case,
    )
