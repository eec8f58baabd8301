"""Execution listings: filtered and paged in SQL, newest first, each on an index."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from phalanx.store import MIGRATIONS, Database, executions, journal
from phalanx.store.executions import ExecutionFilter
from phalanx.store.migrations import migrate
from phalanx.store.records import ExecutionRecord, ExecutionSummary
from tests.store.plans import plans
from tests.stored_executions import BILLING, NOON, ORDERS, execution

VERSION = f"{ORDERS}:1"
ALIAS = f"{ORDERS}:live"
MAP_RUN = ORDERS.replace(":stateMachine:", ":mapRun:") + "/Fan:run-1"

# Oldest first; a Map Run child under the same machine, so only the child rule leaves it out.
STORED = (
    execution(ORDERS, "plain", "SUCCEEDED", NOON, NOON + 1),
    execution(ORDERS, "running", "RUNNING", NOON + 1),
    execution(ORDERS, "by-version", "SUCCEEDED", NOON + 2, NOON + 3, version_arn=VERSION),
    execution(ORDERS, "by-alias", "RUNNING", NOON + 3, version_arn=VERSION, alias_arn=ALIAS),
    execution(ORDERS, "redriven", "RUNNING", NOON + 4, redrive_count=1, redriven_at=NOON + 9),
    execution(ORDERS, "child", "SUCCEEDED", NOON + 5, NOON + 6, map_run_arn=MAP_RUN),
    execution(BILLING, "billed", "FAILED", NOON + 6, NOON + 7),
)


@pytest.fixture
def connection() -> Iterator[sqlite3.Connection]:
    with Database.open(":memory:") as db, db.atomic() as connection:
        yield connection


def _names(found: list[ExecutionSummary]) -> list[str]:
    return [summary.name for summary in found]


@pytest.mark.parametrize(
    ("wanted", "names"),
    [
        pytest.param(
            ExecutionFilter(machine_arn=ORDERS),
            ["redriven", "by-alias", "by-version", "running", "plain"],
            id="machine-leaves-map-run-children-out",
        ),
        pytest.param(
            ExecutionFilter(machine_arn=ORDERS, status="RUNNING"),
            ["redriven", "by-alias", "running"],
            id="status",
        ),
        pytest.param(
            ExecutionFilter(version_arn=VERSION), ["by-alias", "by-version"], id="version"
        ),
        pytest.param(ExecutionFilter(alias_arn=ALIAS), ["by-alias"], id="alias"),
        pytest.param(
            ExecutionFilter(version_arn=VERSION, status="SUCCEEDED"),
            ["by-version"],
            id="version-and-status",
        ),
        pytest.param(ExecutionFilter(map_run_arn=MAP_RUN), ["child"], id="map-run"),
        pytest.param(
            ExecutionFilter(machine_arn=ORDERS, redriven=True), ["redriven"], id="redriven"
        ),
        pytest.param(
            ExecutionFilter(machine_arn=ORDERS, redriven=False),
            ["by-alias", "by-version", "running", "plain"],
            id="not-redriven",
        ),
        pytest.param(ExecutionFilter(machine_name="billing"), ["billed"], id="machine-name"),
        pytest.param(
            ExecutionFilter(),
            ["billed", "redriven", "by-alias", "by-version", "running", "plain"],
            id="every-machine",
        ),
    ],
)
def test_a_listing_keeps_what_its_filter_names_newest_first(
    connection: sqlite3.Connection, wanted: ExecutionFilter, names: list[str]
) -> None:
    executions.insert_many(connection, STORED)
    assert _names(executions.listed(connection, wanted)) == names


def test_a_listing_leaves_the_definition_and_data_out() -> None:
    fields = set(ExecutionSummary.__dataclass_fields__)
    assert fields < set(ExecutionRecord.__dataclass_fields__)
    assert not fields & {"definition", "input", "output", "error", "cause"}


# Ties on started_at, inserted in no particular order: pages must neither skip nor repeat.
TIED = [
    execution(ORDERS, name, "SUCCEEDED", NOON + offset, NOON + 10)
    for name, offset in [("c", 1), ("a", 2), ("e", 1), ("b", 1), ("g", 0), ("d", 2), ("f", 1)]
]


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_pages_past_the_last_key_give_each_execution_once_ties_by_arn(
    connection: sqlite3.Connection, size: int
) -> None:
    executions.insert_many(connection, TIED)
    wanted = ExecutionFilter(machine_arn=ORDERS)
    seen: list[str] = []
    after = None
    while True:
        page = executions.listed(connection, wanted, after=after, limit=size)
        assert len(page) <= size
        seen += _names(page)
        if len(page) < size:
            break
        after = (page[-1].started_at, page[-1].arn)
    assert seen == ["a", "d", "b", "c", "e", "f", "g"]


def test_search_stops_at_its_limit_newest_first(connection: sqlite3.Connection) -> None:
    executions.insert_many(connection, STORED)
    assert _names(executions.search(connection, machine_arn=ORDERS, limit=2)) == [
        "redriven",
        "by-alias",
    ]


def test_with_status_lists_oldest_first(connection: sqlite3.Connection) -> None:
    executions.insert_many(connection, STORED)
    assert _names(executions.with_status(connection, "RUNNING")) == [
        "running",
        "by-alias",
        "redriven",
    ]


AFTER = (NOON + 2, f"{ORDERS}:b")


@pytest.mark.parametrize(
    ("wanted", "index"),
    [
        pytest.param(ExecutionFilter(machine_arn=ORDERS), "executions_listed", id="machine"),
        pytest.param(
            ExecutionFilter(machine_arn=ORDERS, status="FAILED", redriven=False),
            "executions_listed_by_status",
            id="status",
        ),
        pytest.param(
            ExecutionFilter(version_arn=VERSION, status="FAILED"),
            "executions_listed_by_version",
            id="version",
        ),
        pytest.param(
            ExecutionFilter(alias_arn=ALIAS, redriven=True),
            "executions_listed_by_alias",
            id="alias",
        ),
        pytest.param(
            ExecutionFilter(map_run_arn=MAP_RUN), "executions_listed_by_map_run", id="map-run"
        ),
    ],
)
@pytest.mark.parametrize("after", [None, AFTER], ids=["first-page", "next-page"])
def test_a_listing_page_seeks_on_an_index_without_sorting(
    connection: sqlite3.Connection,
    wanted: ExecutionFilter,
    index: str,
    after: executions.ListingKey | None,
) -> None:
    executions.insert_many(connection, TIED)
    (plan,) = plans(connection, lambda: executions.listed(connection, wanted, after=after))
    assert f"USING INDEX {index} (" in plan
    assert "TEMP B-TREE" not in plan
    if after is not None:
        assert "started_at<?" in plan  # the page starts at its key, not at the newest row


def test_recovery_and_token_cleanup_read_an_index(connection: sqlite3.Connection) -> None:
    (running,) = plans(connection, lambda: executions.with_status(connection, "RUNNING"))
    assert "INDEX executions_by_status (status=?)" in running
    assert "TEMP B-TREE" not in running
    (tokens,) = plans(connection, lambda: journal.delete_tokens_of(connection, "arn:x"))
    assert "INDEX task_tokens_by_execution (execution_arn=?)" in tokens


def test_a_file_from_before_the_listing_indexes_lists_its_executions(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    older = sqlite3.connect(path, isolation_level=None)
    before = [migration.name for migration in MIGRATIONS].index("listing_indexes")
    migrate(older, MIGRATIONS[:before])
    older.execute("BEGIN")
    executions.insert_many(older, TIED)
    older.execute("COMMIT")
    older.close()
    with Database.open(path) as db, db.atomic(write=False) as connection:
        found = executions.listed(connection, ExecutionFilter(machine_arn=ORDERS), limit=2)
    assert _names(found) == ["a", "d"]
