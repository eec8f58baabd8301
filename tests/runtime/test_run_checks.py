"""`phalanx.run()` refuses an invalid machine, and its virtual clock starts now unless told."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

import phalanx
from phalanx.errors import DefinitionError, InvalidMachineError

START_TIME = {"Type": "Pass", "Parameters": {"start.$": "$$.Execution.StartTime"}, "End": True}
CLOCK = {"StartAt": "P", "States": {"P": START_TIME}}
NOWHERE = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}


def test_an_invalid_machine_is_refused_with_the_validators_diagnostics() -> None:
    seen: list[dict[str, Any]] = []
    with pytest.raises(InvalidMachineError) as raised:
        phalanx.run(NOWHERE, {}, fast=True, on_event=seen.append)
    codes = {(d.code, d.location) for d in raised.value.diagnostics}
    assert ("MISSING_TRANSITION_TARGET", "/States/A/Next") in codes
    assert all(d.severity == "ERROR" for d in raised.value.diagnostics)
    assert seen == []  # nothing ran


def test_an_invalid_machine_error_is_a_definition_error_naming_the_first_location() -> None:
    with pytest.raises(DefinitionError) as raised:
        phalanx.run(NOWHERE, {}, fast=True)
    first = raised.value.diagnostics[0]  # type: ignore[attr-defined]
    assert raised.value.location == first.location
    assert str(raised.value).startswith(f"{first.location}: {first.message}")


def test_validate_false_runs_an_invalid_machine_to_see_how_it_fails() -> None:
    execution = phalanx.run(NOWHERE, {}, fast=True, validate=False)
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")


def test_an_express_only_refusal_uses_the_machine_type() -> None:
    callback = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
                "End": True,
            }
        },
    }
    with pytest.raises(InvalidMachineError):
        phalanx.run(callback, {}, fast=True, machine_type="EXPRESS")


def _start(execution: Any) -> datetime:
    return datetime.fromisoformat(execution.output["start"])


def test_the_virtual_clock_starts_now_by_default() -> None:
    before = datetime.fromtimestamp(int(time.time()), UTC)
    started = _start(phalanx.run(CLOCK, {}, fast=True))
    after = datetime.fromtimestamp(time.time(), UTC)
    assert before <= started <= after


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000Z", id="iso-z"),
        pytest.param("2030-06-15T12:30:00.250+02:00", "2030-06-15T10:30:00.250Z", id="offset"),
        pytest.param("2024-03-01T08:00:00", "2024-03-01T08:00:00.000Z", id="naive-is-utc"),
        pytest.param(datetime(2024, 1, 1, tzinfo=UTC), "2024-01-01T00:00:00.000Z", id="datetime"),
        pytest.param(
            datetime(2024, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            "2024-01-01T00:00:00.000Z",
            id="datetime-offset",
        ),
    ],
)
def test_start_time_fixes_the_virtual_clock(given: datetime | str, expected: str) -> None:
    execution = phalanx.run(CLOCK, {}, fast=True, start_time=given)
    assert execution.output["start"] == expected
    assert execution.history[0]["timestamp"] == _start(execution).timestamp()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"start_time": "yesterday"}, "not an ISO 8601 time", id="not-iso"),
        pytest.param({"start_time": "2024-01-01", "fast": False}, "fast=True", id="real-clock"),
    ],
)
def test_start_time_that_cannot_be_used_is_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        phalanx.run(CLOCK, {}, **{"fast": True, **options})
