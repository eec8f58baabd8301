"""The durable runtime in-process: executions in a SQLite file, resumed by a new Runtime.

A "crash" here is a Runtime stopped while a call is in flight and a new one
opened on the same file, as `phalanx serve` restarting after `kill -9`
(tests/api/test_crash.py does it with real processes).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from phalanx.engine.effects import CallbackResponse, InvokeLambda, LambdaResponse, ServiceResponse
from phalanx.runtime import codec
from phalanx.runtime.clock import VirtualClock
from phalanx.runtime.durable import Runtime, TaskGone
from phalanx.runtime.lambdas import FunctionInvoker
from phalanx.store import Database
from phalanx.store import executions as execution_rows
from phalanx.store import journal as journal_rows
from phalanx.store.records import ExecutionRecord

ARN = "arn:aws:states:us-east-1:123456789012:execution:m:"
TASK = "arn:aws:lambda:us-east-1:123456789012:function:double"
CALLS = {
    "StartAt": "Double",
    "States": {
        "Double": {"Type": "Task", "Resource": TASK, "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 600, "Next": "Ask"},
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"MessageBody.$": "$$.Task.Token"},
            "ResultPath": "$.answer",
            "End": True,
        },
    },
}


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(1_733_490_000.123456, id="now"),
        pytest.param("ab" * 32, id="seed"),
        pytest.param(None, id="sleep"),
        pytest.param(LambdaResponse(payload='{"x":1}', request_id="r"), id="lambda"),
        pytest.param(ServiceResponse(output={"a": [1, "é"]}), id="service"),
        pytest.param(CallbackResponse(error="E", cause="c", worker="w"), id="callback"),
    ],
)
def test_a_journal_answer_reads_back_as_written(answer: Any) -> None:
    assert codec.decode(codec.encode(answer)) == answer


class Blocking:
    """An invoker whose calls never return until released (a call cut by a crash)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def invoke(self, request: InvokeLambda) -> LambdaResponse:
        self.calls += 1
        self.release.wait()
        return LambdaResponse(payload="0")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "phalanx.db"


@pytest.fixture
def runs() -> Iterator[list[int]]:
    yield []


def _double(runs: list[int]) -> Callable[[Any, Any], Any]:
    def double(event: Any, context: Any) -> Any:
        runs.append(event["n"])
        return {"n": event["n"] * 2}

    return double


def _runtime(db: Database, invoker: Any) -> Runtime:
    runtime = Runtime(db, VirtualClock(1_700_000_000.0), invoker)
    runtime.start()
    return runtime


def _start(db: Database, runtime: Runtime, name: str, value: Any) -> str:
    arn = ARN + name
    record = ExecutionRecord(
        arn, "arn:aws:states:us-east-1:123456789012:stateMachine:m", None, None, None, name,
        "STANDARD", "RUNNING", json.dumps(CALLS), "arn:aws:iam::123456789012:role/r",
        json.dumps(value), None, None, None, None, 0, 1_700_000_000.0, None, None,
    )  # fmt: skip
    assert runtime.begin(record) is None
    return arn


def _until(check: Callable[[], Any]) -> Any:
    """Poll until `check()` answers something truthy (the runtime works on its own thread)."""
    deadline = time.monotonic() + 20
    while not (found := check()):
        assert time.monotonic() < deadline, "the runtime did not get there"
        time.sleep(0.01)
    return found


def _token(db: Database, arn: str) -> str | None:
    with db.atomic(write=False) as connection:
        found = connection.execute(
            "SELECT token FROM task_tokens WHERE execution_arn = ?", (arn,)
        ).fetchone()
    return None if found is None else str(found[0])


def _events(db: Database, arn: str) -> list[Any]:
    with db.atomic(write=False) as connection:
        return execution_rows.events(connection, arn)


def _record(db: Database, arn: str) -> ExecutionRecord:
    with db.atomic(write=False) as connection:
        found = execution_rows.get(connection, arn)
    assert found is not None
    return found


def test_an_execution_parks_on_a_token_and_finishes_in_the_next_runtime(
    db_path: Path, runs: list[int]
) -> None:
    db = Database.open(db_path)
    first = _runtime(db, FunctionInvoker({"double": _double(runs)}))
    arn = _start(db, first, "parked", {"n": 4})
    token = _until(lambda: _token(db, arn))  # the Wait passed on the virtual clock
    first.stop()
    before = _events(db, arn)
    second = _runtime(db, FunctionInvoker({"double": _double(runs)}))
    try:
        second.answer(token, CallbackResponse(output="yes"))
        _until(lambda: _record(db, arn).status != "RUNNING")
        record = _record(db, arn)
        events = _events(db, arn)
    finally:
        second.stop()
        db.close()
    assert (record.status, json.loads(record.output or "null")) == (
        "SUCCEEDED",
        {"n": 8, "answer": "yes"},
    )
    assert events[: len(before)] == before  # the restart rebuilt, not rewrote, the history
    assert [e.id for e in events] == list(range(1, len(events) + 1))
    assert runs == [4]  # the committed call was not made again


def test_a_call_cut_by_a_crash_runs_again_and_the_history_shows_it(
    db_path: Path, runs: list[int]
) -> None:
    db = Database.open(db_path)
    blocking = Blocking()
    first = _runtime(db, blocking)
    arn = _start(db, first, "cut", {"n": 5})
    _until(lambda: blocking.calls)
    first.stop()  # the call never answered: as if the process died
    second = _runtime(db, FunctionInvoker({"double": _double(runs)}))
    try:
        token = _until(lambda: _token(db, arn))
        second.answer(token, CallbackResponse(output=1))
        _until(lambda: _record(db, arn).status != "RUNNING")
        types = [e.type for e in _events(db, arn)]
    finally:
        blocking.release.set()
        second.stop()
        db.close()
    assert types.count("LambdaFunctionScheduled") == 1
    assert types.count("LambdaFunctionStarted") == 2  # the first attempt and the new one
    assert types.count("LambdaFunctionSucceeded") == 1
    assert runs == [5]


def test_a_token_answered_twice_is_gone_the_second_time(db_path: Path, runs: list[int]) -> None:
    db = Database.open(db_path)
    runtime = _runtime(db, FunctionInvoker({"double": _double(runs)}))
    try:
        arn = _start(db, runtime, "twice", {"n": 1})
        token = _until(lambda: _token(db, arn))
        runtime.answer(token, CallbackResponse(output=1))
        with pytest.raises(TaskGone):
            runtime.answer(token, CallbackResponse(output=2))
        with db.atomic(write=False) as connection:
            assert journal_rows.get_token(connection, token) is None
    finally:
        runtime.stop()
        db.close()


def test_an_aborted_execution_ends_with_execution_aborted(db_path: Path, runs: list[int]) -> None:
    db = Database.open(db_path)
    runtime = _runtime(db, FunctionInvoker({"double": _double(runs)}))
    try:
        arn = _start(db, runtime, "aborted", {"n": 1})
        _until(lambda: _token(db, arn))
        runtime.abort(arn, "Stop", None)
        record = _record(db, arn)
        last = _events(db, arn)[-1]
    finally:
        runtime.stop()
        db.close()
    assert (record.status, record.error) == ("ABORTED", "Stop")
    assert (last.type, last.details) == ("ExecutionAborted", {"error": "Stop"})


def test_an_ended_execution_is_published_to_the_recorder(db_path: Path, runs: list[int]) -> None:
    from phalanx.runtime.recorder import Recorded, subscribe

    recorded: list[Recorded] = []
    unsubscribe = subscribe(recorded.append)
    db = Database.open(db_path)
    runtime = _runtime(db, FunctionInvoker({"double": _double(runs)}))
    try:
        arn = _start(db, runtime, "recorded", {"n": 1})
        runtime.answer(_until(lambda: _token(db, arn)), CallbackResponse(output="ok"))
        _until(lambda: recorded)
    finally:
        unsubscribe()
        runtime.stop()
        db.close()
    assert [(r.status, r.history[-1]["type"]) for r in recorded] == [
        ("SUCCEEDED", "ExecutionSucceeded")
    ]
    assert [taken.state for taken in recorded[0].trail][:2] == ["Double", "Nap"]
