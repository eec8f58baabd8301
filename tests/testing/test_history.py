"""Unusable histories: one line, exit 2, never a traceback; usable shapes are all read."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from phalanx.cli.main import cli
from phalanx.errors import LoadError
from phalanx.testing.history import read_history
from tests.testing.machines import ORDERS, record

OTHER = {
    "StartAt": "Greet",
    "States": {"Greet": {"Type": "Pass", "Result": "hello", "End": True}},
}


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    return record(amount=150)


def _events(recorded: dict[str, Any]) -> list[dict[str, Any]]:
    return list(recorded["history"])


def _text(recorded: dict[str, Any], case: str) -> str:
    events = _events(recorded)
    if case == "not-json":
        return "this is not JSON"
    if case == "cut-short-text":
        return json.dumps({"events": events})[:-200]
    if case == "no-end":
        return json.dumps({"events": events[:-3]})
    if case == "no-start":
        return json.dumps({"events": events[2:]})
    if case == "missing-events":
        return json.dumps({"events": events[:4] + events[6:]})
    if case == "next-token":
        return json.dumps({"events": events[:5], "nextToken": "AAAA"})
    if case == "out-of-order":
        return json.dumps({"events": list(reversed(events))})
    if case == "another-machine":
        return json.dumps(recorded)
    if case == "no-execution-data":
        started = dict(events[0])
        started["executionStartedEventDetails"] = {"roleArn": "arn:aws:iam::1:role/r"}
        return json.dumps({"events": [started, *events[1:]]})
    if case == "empty":
        return ""
    raise AssertionError(case)


BAD = [
    pytest.param("not-json", "not a JSON history", id="not-json"),
    pytest.param("cut-short-text", "not a JSON history", id="truncated-file"),
    pytest.param("no-end", "truncated: the history ends with", id="truncated-no-end"),
    pytest.param("no-start", "truncated: the history starts with", id="truncated-no-start"),
    pytest.param("missing-events", "truncated: events 5 to 6 are missing", id="missing-events"),
    pytest.param("next-token", "truncated: the response has a nextToken", id="next-token"),
    pytest.param("out-of-order", "events out of order", id="out-of-order"),
    pytest.param("another-machine", "is it this machine's history?", id="another-machine"),
    pytest.param("no-execution-data", "recorded without execution data", id="no-input"),
    pytest.param("empty", "empty, not a JSON history", id="empty"),
]


@pytest.mark.parametrize(("case", "message"), BAD)
def test_an_unusable_history_is_one_line_and_exit_2(
    tmp_path: Path, recorded: dict[str, Any], case: str, message: str
) -> None:
    machine = tmp_path / "machine.json"
    machine.write_text(json.dumps(OTHER if case == "another-machine" else ORDERS))
    history = tmp_path / "history.json"
    history.write_text(_text(recorded, case))
    result = CliRunner().invoke(cli, ["replay", str(machine), str(history)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert message in lines[0]
    assert lines[0].startswith(str(history)) or case == "another-machine"


def test_the_python_api_raises_load_error_for_an_unusable_history(
    recorded: dict[str, Any],
) -> None:
    with pytest.raises(LoadError, match="events out of order"):
        read_history(_text(recorded, "out-of-order"))


def test_pages_saved_one_after_another_are_joined(recorded: dict[str, Any]) -> None:
    events = _events(recorded)
    pages = json.dumps({"events": events[:5]}) + "\n" + json.dumps({"events": events[5:]})
    assert read_history(pages).events == tuple(events)
    as_list = [{"events": events[:5]}, {"events": events[5:]}]
    assert read_history(as_list).events == tuple(events)


def test_boto3_datetimes_give_the_recorded_clock(recorded: dict[str, Any]) -> None:
    events = [
        {**event, "timestamp": datetime.fromtimestamp(event["timestamp"], UTC)}
        for event in _events(recorded)
    ]
    history = read_history({"events": events, "ResponseMetadata": {"HTTPStatusCode": 200}})
    assert history.start == datetime(2024, 3, 1, 12, tzinfo=UTC).timestamp()
    assert history.input == {"amount": 150}


def test_replay_cli_prints_identical_and_exits_0(tmp_path: Path, recorded: dict[str, Any]) -> None:
    (tmp_path / "machine.json").write_text(json.dumps(ORDERS))
    (tmp_path / "history.json").write_text(json.dumps(recorded))
    result = CliRunner().invoke(
        cli, ["replay", str(tmp_path / "machine.json"), str(tmp_path / "history.json")]
    )
    assert (result.exit_code, result.output) == (0, "identical\n")


def test_replay_cli_prints_the_first_difference_and_exits_1(
    tmp_path: Path, recorded: dict[str, Any]
) -> None:
    changed = json.loads(json.dumps(ORDERS))
    changed["States"]["CheckAmount"]["Choices"][0]["NumericGreaterThan"] = 200
    (tmp_path / "machine.json").write_text(json.dumps(changed))
    (tmp_path / "history.json").write_text(json.dumps(recorded))
    result = CliRunner().invoke(
        cli, ["replay", str(tmp_path / "machine.json"), str(tmp_path / "history.json")]
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        '  history: TaskStateEntered "Review"',
        '  now:     PassStateEntered "Approve"',
    ]


def test_replay_needs_a_history_or_an_execution_arn(tmp_path: Path) -> None:
    (tmp_path / "machine.json").write_text(json.dumps(ORDERS))
    result = CliRunner().invoke(cli, ["replay", str(tmp_path / "machine.json")])
    assert result.exit_code == 2
    assert "give HISTORY or --from-aws" in result.output
