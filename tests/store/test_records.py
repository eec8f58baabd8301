"""Every record comes back from the store exactly as it went in."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phalanx.store import Database, activities, executions, journal, machines, map_runs, tags
from phalanx.store.records import (
    ActivityRecord,
    ExecutionRecord,
    HistoryEventRecord,
    JournalEntryRecord,
    MapRunRecord,
    RoutingEntry,
    StateMachineAliasRecord,
    StateMachineRecord,
    StateMachineSummary,
    StateMachineVersionRecord,
    Tag,
    TaskTokenRecord,
    TimerRecord,
)
from phalanx.store.tables import Table
from tests.store.plans import plans

PREFIX = "arn:aws:states:us-east-1:123456789012:"
MACHINE_ARN = PREFIX + "stateMachine:m"
EXECUTION_ARN = PREFIX + "execution:m:e1"


def machine(name: str = "m", **changes: Any) -> StateMachineRecord:
    record = StateMachineRecord(
        arn=PREFIX + f"stateMachine:{name}",
        name=name,
        type="STANDARD",
        definition='{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}',
        role_arn="arn:aws:iam::123456789012:role/r",
        status="ACTIVE",
        revision_id=None,
        logging_configuration={"level": "OFF", "includeExecutionData": False},
        tracing_configuration={"enabled": False},
        encryption_configuration={"type": "AWS_OWNED_KEY"},
        last_version=0,
        created_at=1_704_067_200.123,
        updated_at=1_704_067_200.123,
    )
    return dataclasses.replace(record, **changes)


def version(number: int) -> StateMachineVersionRecord:
    return StateMachineVersionRecord(
        arn=f"{MACHINE_ARN}:{number}",
        machine_arn=MACHINE_ARN,
        version=number,
        type="STANDARD",
        definition="{}",
        role_arn="arn:aws:iam::123456789012:role/r",
        description=f"v{number}",
        revision_id=f"rev-{number}",
        logging_configuration={},
        tracing_configuration={},
        encryption_configuration={},
        created_at=10.0 + number,
    )


def alias(name: str, *versions: int) -> StateMachineAliasRecord:
    weight = 100 // len(versions)
    return StateMachineAliasRecord(
        arn=f"{MACHINE_ARN}:{name}",
        machine_arn=MACHINE_ARN,
        name=name,
        description=None,
        routing_configuration=tuple(RoutingEntry(f"{MACHINE_ARN}:{v}", weight) for v in versions),
        created_at=20.0,
        updated_at=21.0,
    )


EXECUTION = ExecutionRecord(
    arn=EXECUTION_ARN,
    machine_arn=MACHINE_ARN,
    version_arn=None,
    alias_arn=None,
    map_run_arn=None,
    name="e1",
    type="STANDARD",
    status="RUNNING",
    definition="{}",
    role_arn="arn:aws:iam::123456789012:role/r",
    input='{"x": 1}',
    output=None,
    error=None,
    cause=None,
    trace_header=None,
    redrive_count=0,
    started_at=30.0,
    stopped_at=None,
    redriven_at=None,
)


@pytest.fixture
def connection(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    with Database.open(tmp_path / "phalanx.db") as db, db.atomic() as connection:
        machines.insert(connection, machine())
        executions.insert(connection, EXECUTION)
        yield connection


ROWS = [
    pytest.param(machines.VERSIONS, version(1), id="version"),
    pytest.param(
        activities.ACTIVITIES,
        ActivityRecord(PREFIX + "activity:a", "a", {"type": "AWS_OWNED_KEY"}, 5.0),
        id="activity",
    ),
    pytest.param(
        executions.HISTORY,
        HistoryEventRecord(
            EXECUTION_ARN, 1, 0, 30.5, "ExecutionStarted", {"input": '{"x": 1}', "ok": [1, None]}
        ),
        id="history-event",
    ),
    pytest.param(
        journal.JOURNAL,
        JournalEntryRecord(EXECUTION_ARN, 1, "0/Task/1", "invoke", '{"Payload": 1}', 31.0),
        id="journal-entry",
    ),
    pytest.param(journal.TIMERS, TimerRecord(EXECUTION_ARN, "0/Wait/1", 99.25), id="timer"),
    pytest.param(
        journal.TASK_TOKENS,
        TaskTokenRecord(
            "tok", EXECUTION_ARN, "0/Task/2", "Ask", PREFIX + "activity:a", "{}", "WAITING",
            None, 60.0, 120.0, None, 32.0,
        ),
        id="task-token",
    ),
    pytest.param(
        map_runs.MAP_RUNS,
        MapRunRecord(
            PREFIX + "mapRun:m/map:1", EXECUTION_ARN, "RUNNING", 10, 5.0, 2,
            {"pending": 3, "total": 3}, {"running": 0, "total": 3}, 33.0, None,
        ),
        id="map-run",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("table", "record"), ROWS)
def test_a_record_round_trips(table: Table[Any], record: Any, connection: Any) -> None:
    table.insert(connection, record)
    key = [getattr(record, name) for name in table.key]
    assert table.get(connection, *key) == record


def test_an_updated_machine_reads_back_updated(connection: sqlite3.Connection) -> None:
    changed = machine(revision_id="r2", definition="{}", last_version=3, updated_at=9.0)
    machines.update(connection, changed)
    assert machines.get(connection, MACHINE_ARN) == changed


@given(
    name=st.text(min_size=1, max_size=80),
    definition=st.text(),
    logging=st.dictionaries(st.text(), st.one_of(st.none(), st.booleans(), st.text())),
    created=st.floats(min_value=0, max_value=4e9),
)
def test_machine_fields_survive_any_text(
    name: str, definition: str, logging: dict[str, Any], created: float
) -> None:
    record = machine(name=name, definition=definition, logging_configuration=logging)
    record = dataclasses.replace(record, created_at=created)
    with Database.open(":memory:") as db, db.atomic() as connection:
        machines.insert(connection, record)
        assert machines.get(connection, record.arn) == record


def test_machines_are_listed_by_name_within_one_region(connection: sqlite3.Connection) -> None:
    machines.insert(connection, machine("b"))
    machines.insert(connection, machine("a"))
    other = machine("c", arn="arn:aws:states:eu-west-1:123456789012:stateMachine:c")
    machines.insert(connection, other)
    assert [m.name for m in machines.list_all(connection, PREFIX + "stateMachine:")] == [
        "a",
        "b",
        "m",
    ]


def test_machines_are_paged_by_name_on_an_index(connection: sqlite3.Connection) -> None:
    for name in ("d", "b", "a", "c"):
        machines.insert(connection, machine(name))
    prefix = PREFIX + "stateMachine:"

    def names(found: list[StateMachineSummary]) -> list[str]:
        return [m.name for m in found]

    assert names(machines.list_all(connection, prefix, limit=2)) == ["a", "b"]
    assert names(machines.list_all(connection, prefix, after_name="b", limit=2)) == ["c", "d"]
    (plan,) = plans(connection, lambda: machines.list_all(connection, prefix, after_name="b"))
    assert "USING INDEX state_machines_by_name (name>?)" in plan
    assert "TEMP B-TREE" not in plan


def test_versions_are_newest_first_and_found_by_revision(connection: sqlite3.Connection) -> None:
    for number in (1, 2, 3):
        machines.insert_version(connection, version(number))
    assert [v.version for v in machines.list_versions(connection, MACHINE_ARN)] == [3, 2, 1]
    assert machines.version_of_revision(connection, MACHINE_ARN, "rev-2") == version(2)
    assert machines.version_of_revision(connection, MACHINE_ARN, None) is None


def test_an_alias_pins_its_versions(connection: sqlite3.Connection) -> None:
    for number in (1, 2):
        machines.insert_version(connection, version(number))
    machines.put_alias(connection, alias("prod", 1, 2))
    machines.put_alias(connection, alias("beta", 2))
    assert machines.get_alias(connection, f"{MACHINE_ARN}:prod") == alias("prod", 1, 2)
    assert machines.aliases_routing_to(connection, f"{MACHINE_ARN}:2") == [
        f"{MACHINE_ARN}:beta",
        f"{MACHINE_ARN}:prod",
    ]
    with pytest.raises(sqlite3.IntegrityError):
        machines.delete_version(connection, f"{MACHINE_ARN}:1")
    machines.put_alias(connection, alias("prod", 2))  # re-pointed: version 1 is free
    assert machines.delete_version(connection, f"{MACHINE_ARN}:1")


def test_deleting_a_machine_deletes_its_versions_aliases_and_tags(
    connection: sqlite3.Connection,
) -> None:
    machines.insert_version(connection, version(1))
    machines.put_alias(connection, alias("prod", 1))
    tags.put(connection, MACHINE_ARN, [Tag("team", "x")])
    assert machines.delete(connection, MACHINE_ARN)
    assert machines.get_version(connection, f"{MACHINE_ARN}:1") is None
    assert machines.get_alias(connection, f"{MACHINE_ARN}:prod") is None
    assert tags.list_for(connection, MACHINE_ARN) == []
    assert not machines.delete(connection, MACHINE_ARN)


def test_tags_keep_their_first_place_and_take_new_values(connection: sqlite3.Connection) -> None:
    tags.put(connection, MACHINE_ARN, [Tag("a", "1"), Tag("b", "2")])
    tags.put(connection, MACHINE_ARN, [Tag("c", "3"), Tag("a", "9")])
    tags.remove(connection, MACHINE_ARN, ["b", "absent"])
    assert tags.list_for(connection, MACHINE_ARN) == [Tag("a", "9"), Tag("c", "3")]


def test_history_pages_forward_and_backward(connection: sqlite3.Connection) -> None:
    events = [HistoryEventRecord(EXECUTION_ARN, i, i - 1, 30.0 + i, "Pass", {}) for i in (1, 2, 3)]
    executions.append_events(connection, events)
    assert [e.id for e in executions.events(connection, EXECUTION_ARN, after_id=1)] == [2, 3]
    backward = executions.events(connection, EXECUTION_ARN, reverse=True, limit=2)
    assert [e.id for e in backward] == [3, 2]
    assert executions.last_event_id(connection, EXECUTION_ARN) == 3


def test_existing_finds_which_executions_are_stored_past_one_statement(
    connection: sqlite3.Connection,
) -> None:
    started = [
        dataclasses.replace(EXECUTION, arn=f"{EXECUTION_ARN}-{i}", name=f"e-{i}")
        for i in range(1200)
    ]
    executions.insert_many(connection, started[::2])
    asked = [record.arn for record in started] + [EXECUTION_ARN]
    assert executions.existing(connection, asked) == {r.arn for r in started[::2]} | {EXECUTION_ARN}
    assert executions.existing(connection, []) == set()


def test_ending_an_execution_writes_only_how_it_ended(connection: sqlite3.Connection) -> None:
    ended = dataclasses.replace(
        EXECUTION, status="FAILED", error="E", cause="C", stopped_at=40.0, input="changed"
    )
    executions.set_ended(connection, ended)
    stored = executions.get(connection, EXECUTION_ARN)
    assert stored == dataclasses.replace(
        EXECUTION, status="FAILED", error="E", cause="C", stopped_at=40.0
    )


def test_timers_fall_due_in_order(connection: sqlite3.Connection) -> None:
    for effect, due in (("late", 50.0), ("early", 40.0), ("future", 500.0)):
        journal.set_timer(connection, TimerRecord(EXECUTION_ARN, effect, due))
    assert journal.next_due(connection) == 40.0
    due = journal.due_timers(connection, now=60.0, limit=10)
    assert [t.effect_id for t in due] == ["early", "late"]
