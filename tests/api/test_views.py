"""`api.views`: executions and histories read from a store, as tables and as the API's JSON."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from phalanx.api import views
from phalanx.api.errors import ApiError
from phalanx.store import Database
from phalanx.store import executions as stored
from phalanx.store.records import ExecutionRecord, HistoryEventRecord
from tests.stored_executions import (
    BILLING,
    FAILED,
    LONG,
    NOON,
    ORDERS,
    RUNNING,
    SUCCEEDED,
    commit,
    fill,
    running_history,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    fill(tmp_path / "phalanx.db")
    return tmp_path / "phalanx.db"


@pytest.fixture
def db(path: Path) -> Iterator[Database]:
    with views.open_database(path) as opened:
        yield opened


def _names(found: list[ExecutionRecord]) -> list[str]:
    return [execution.name for execution in found]


@pytest.mark.parametrize(
    ("machine", "status", "names"),
    [
        pytest.param(
            None, None, ["o-3", "o-2", "b-1", "o-1"], id="all-newest-first-no-map-children"
        ),
        pytest.param("orders", None, ["o-3", "o-2", "o-1"], id="by-name"),
        pytest.param("billing", None, ["b-1"], id="by-name-in-another-region"),
        pytest.param("order", None, [], id="a-name-is-matched-whole"),
        pytest.param(BILLING, None, ["b-1"], id="by-arn"),
        pytest.param(None, "SUCCEEDED", ["b-1", "o-1"], id="by-status"),
        pytest.param("orders", "FAILED", ["o-2"], id="by-name-and-status"),
        pytest.param("nobody", None, [], id="unknown-machine"),
    ],
)
def test_executions_are_filtered_by_machine_and_status(
    db: Database, machine: str | None, status: str | None, names: list[str]
) -> None:
    assert _names(views.find_executions(db, machine=machine, status=status)) == names


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        pytest.param(
            ORDERS.replace("stateMachine", "activity"),
            "Resource type not valid in this context: activity",
            id="not-a-machine",
        ),
        pytest.param(f"{ORDERS}:PROD", "alias ARN is not valid here", id="alias"),
    ],
)
def test_a_machine_arn_that_is_not_one_is_refused(db: Database, arn: str, message: str) -> None:
    with pytest.raises(ApiError, match=message):
        views.find_executions(db, machine=arn)


def test_the_executions_table_lists_name_machine_status_times_and_duration(db: Database) -> None:
    text = views.executions_table(views.find_executions(db), now=NOON + 80)
    assert text.splitlines() == [
        "NAME  MACHINE  STATUS     START (UTC)          STOP (UTC)           DURATION",
        "o-3   orders   RUNNING    2026-12-06 12:00:20  -                    1m00s",
        "o-2   orders   FAILED     2026-12-06 12:00:10  2026-12-06 12:00:12  2.000s",
        "b-1   billing  SUCCEEDED  2026-12-06 12:00:05  2026-12-06 14:03:09  2h03m04s",
        "o-1   orders   SUCCEEDED  2026-12-06 12:00:00  2026-12-06 12:02:15  2m15s",
    ]


def test_no_executions_is_said_in_words() -> None:
    assert views.executions_table([], now=NOON) == "No executions."


def test_the_executions_json_is_list_executions_answer(db: Database) -> None:
    answer = views.executions_json(views.find_executions(db, status="SUCCEEDED"))
    assert answer == {
        "executions": [
            {
                "executionArn": LONG.arn,
                "stateMachineArn": BILLING,
                "name": "b-1",
                "status": "SUCCEEDED",
                "startDate": NOON + 5,
                "stopDate": NOON + 5 + 7384,
                "redriveCount": 0,
            },
            {
                "executionArn": SUCCEEDED.arn,
                "stateMachineArn": ORDERS,
                "name": "o-1",
                "status": "SUCCEEDED",
                "startDate": NOON,
                "stopDate": NOON + 135.5,
                "redriveCount": 0,
            },
        ]
    }


def test_the_history_table_shows_each_event_with_its_state_and_details(db: Database) -> None:
    lines = views.history_table(views.events(db, FAILED.arn)).splitlines()
    assert (
        lines[0]
        == "   ID  TIMESTAMP (UTC)          TYPE" + " " * 26 + "STATE" + " " * 17 + "DETAILS"
    )
    assert lines[1:3] == [
        "    1  2026-12-06 12:00:10.000  ExecutionStarted              -" + " " * 21 + '{"n":1}',
        "    2  2026-12-06 12:00:10.000  PassStateEntered              Greet"
        + " " * 17
        + '{"n":1}',
    ]
    assert lines[5] == "    5  2026-12-06 12:00:10.000  ParallelStateStarted          -"
    assert lines[-1] == (
        "   11  2026-12-06 12:00:12.000  ExecutionFailed               -                     "
        "Oops: it broke"
    )
    assert len(lines) == 12


def test_the_history_json_is_get_execution_history_answer(db: Database) -> None:
    answer = views.history_json(views.events(db, FAILED.arn))
    assert [event["id"] for event in answer["events"]] == list(range(1, 12))
    assert answer["events"][-1] == {
        "timestamp": NOON + 12,
        "type": "ExecutionFailed",
        "id": 11,
        "previousEventId": 10,
        "executionFailedEventDetails": {"error": "Oops", "cause": "it broke"},
    }


@pytest.mark.parametrize(
    ("details", "shown"),
    [
        pytest.param({"error": "E", "cause": "boom"}, "E: boom", id="error-and-cause"),
        pytest.param({"error": "E"}, "E", id="error-alone"),
        pytest.param({"cause": "boom"}, "boom", id="cause-alone"),
        pytest.param(
            {"name": "A", "output": '{"a":1}', "outputDetails": {}}, '{"a":1}', id="output"
        ),
        pytest.param({"name": "A", "input": '{"a":\n 1}'}, '{"a": 1}', id="input-on-one-line"),
        pytest.param(
            {"resource": "invoke", "resourceType": "lambda"},
            '{"resource":"invoke","resourceType":"lambda"}',
            id="other-fields",
        ),
        pytest.param({"name": "A"}, "", id="only-the-state"),
        pytest.param({"output": "x" * 100}, "x" * 77 + "...", id="shortened"),
    ],
)
def test_details_are_summed_up_in_one_short_line(details: dict[str, Any], shown: str) -> None:
    assert views.summary(details) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        pytest.param(0.25, "0.250s", id="under-a-minute"),
        pytest.param(59.9994, "59.999s", id="just-under-a-minute"),
        pytest.param(125, "2m05s", id="minutes"),
        pytest.param(7384, "2h03m04s", id="hours"),
        pytest.param(200_000, "2d07h33m", id="days"),
        pytest.param(-0.5, "0.000s", id="clock-skew-is-not-negative"),
    ],
)
def test_durations_read_at_a_glance(seconds: float, shown: str) -> None:
    assert views.duration(seconds) == shown


def test_a_missing_database_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nothing" / "phalanx.db"
    with pytest.raises(views.ViewError, match="no Phalanx database"):
        views.open_database(missing)
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        pytest.param("orders", "Invalid ARN prefix: orders", id="not-an-arn"),
        pytest.param(ORDERS, "Resource type not valid in this context: stateMachine", id="machine"),
        pytest.param(
            ORDERS.replace("stateMachine", "execution"), "Invalid ARN: ", id="no-execution-name"
        ),
    ],
)
def test_an_arn_that_is_not_an_execution_s_is_invalid(db: Database, arn: str, message: str) -> None:
    with pytest.raises(ApiError, match=message) as raised:
        views.find_execution(db, arn)
    assert raised.value.code == "InvalidArn"


def test_an_unknown_execution_names_the_database(db: Database, path: Path) -> None:
    arn = FAILED.arn + "-not"
    with pytest.raises(views.ViewError, match=f"{arn}: no such execution in {path}"):
        views.find_execution(db, arn)


def test_follow_yields_events_as_they_are_committed_and_ends_at_the_terminal_one(
    db: Database, path: Path
) -> None:
    remaining = running_history()[2:]
    assert remaining[-1].type == "ExecutionSucceeded"
    pending = list(remaining)
    looks = 0

    def wait() -> None:
        # Between two looks another process commits one event (another connection).
        nonlocal looks
        looks += 1
        with Database.open(path) as writer:
            commit(writer, pending.pop(0))

    seen = list(views.follow(db, RUNNING.arn, wait=wait))
    assert [event.id for event in seen] == list(range(1, len(remaining) + 3))
    assert seen[2:] == remaining
    assert looks == len(remaining)


def test_follow_on_an_ended_execution_prints_its_history_and_never_waits(db: Database) -> None:
    def wait() -> None:
        raise AssertionError("an ended execution is not waited for")

    seen = list(views.follow(db, FAILED.arn, wait=wait))
    assert [event.type for event in seen][-1] == "ExecutionFailed"


def test_follow_ends_when_the_execution_stopped_without_a_terminal_event(
    db: Database, path: Path
) -> None:
    waited: list[None] = []

    def wait() -> None:
        waited.append(None)
        with Database.open(path) as writer, writer.atomic() as connection:
            stored.update(connection, replace(RUNNING, status="ABORTED", stopped_at=NOON + 21))

    seen = list(views.follow(db, RUNNING.arn, wait=wait))
    assert [event.id for event in seen] == [1, 2]
    assert len(waited) == 1


def test_events_after_an_id_are_the_newer_ones(db: Database) -> None:
    newer: list[HistoryEventRecord] = views.events(db, FAILED.arn, after_id=9)
    assert [event.id for event in newer] == [10, 11]
