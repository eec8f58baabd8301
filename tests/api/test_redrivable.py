"""Why an execution cannot be redriven, in the words DescribeExecution's model lists."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from phalanx.api.redrivable import MAX_OPEN_SECONDS, REDRIVABLE_SECONDS, not_redrivable_reason
from phalanx.engine.history import MAX_EVENTS
from phalanx.store.records import ExecutionRecord
from tests.store.test_records import EXECUTION

STARTED = 1_700_000_000.0
FAILED = dataclasses.replace(
    EXECUTION, status="FAILED", error="E", started_at=STARTED, stopped_at=STARTED + 60
)


def _case(reason: str | None, now: float = STARTED + 120, last: int = 10, **changes: Any) -> Any:
    return pytest.param(
        dataclasses.replace(FAILED, **changes), now, last, reason, id=reason or str(changes)
    )


@pytest.mark.parametrize(
    ("execution", "now", "last_event", "reason"),
    [
        _case(None),
        _case(None, status="TIMED_OUT"),
        _case(None, status="ABORTED"),
        _case("Execution is RUNNING and cannot be redriven", status="RUNNING", stopped_at=None),
        _case("Execution is SUCCEEDED and cannot be redriven", status="SUCCEEDED"),
        _case("Execution history event limit exceeded", last=MAX_EVENTS - 1),
        _case(None, last=MAX_EVENTS - 2),
        _case("Execution redrivable period exceeded", now=STARTED + 60 + REDRIVABLE_SECONDS + 1),
        _case(None, now=STARTED + 60 + REDRIVABLE_SECONDS),
        _case(
            "Execution has exceeded the max execution time",
            now=STARTED + MAX_OPEN_SECONDS + 1,
            stopped_at=STARTED + MAX_OPEN_SECONDS - 60,
        ),
        _case("Express executions cannot be redriven", type="EXPRESS"),
    ],
)
def test_the_reason_is_the_first_rule_broken(
    execution: ExecutionRecord, now: float, last_event: int, reason: str | None
) -> None:
    assert not_redrivable_reason(execution, now, last_event) == reason
