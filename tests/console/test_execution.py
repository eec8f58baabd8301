"""The States panel's reading of a history: each state entered, its input, output, errors."""

from __future__ import annotations

from typing import Any

from phalanx.console.execution import visits
from phalanx.engine.history import details_key


def event(kind: str, **details: Any) -> dict[str, Any]:
    """One history event as GetExecutionHistory answers it."""
    return {"type": kind, details_key(kind): details}


def test_each_entry_of_a_state_is_a_visit_with_its_input_and_output() -> None:
    found = visits(
        [
            event("ExecutionStarted", input="{}"),
            event("PassStateEntered", name="A", input="1"),
            event("PassStateExited", name="A", output="2"),
            event("PassStateEntered", name="A", input="2"),
            event("PassStateExited", name="A", output="3"),
        ]
    )
    shown = [(v.name, v.step, v.input, v.output, v.exited) for v in found]
    assert shown == [("A", 1, "1", "2", True), ("A", 2, "2", "3", True)]


def test_an_error_belongs_to_the_state_running_when_it_was_raised() -> None:
    found = visits(
        [
            event("TaskStateEntered", name="Call", input="{}"),
            event("LambdaFunctionFailed", error="Boom", cause="it broke"),
            event("ExecutionFailed", error="Boom", cause="it broke"),
        ]
    )
    assert [(v.name, v.exited, v.errors) for v in found] == [("Call", False, ["Boom: it broke"])]


def test_an_error_after_every_state_exited_is_the_execution_s_alone() -> None:
    found = visits(
        [
            event("PassStateEntered", name="A", input="{}"),
            event("PassStateExited", name="A", output="{}"),
            event("ExecutionTimedOut", error="States.Timeout"),
        ]
    )
    assert [v.errors for v in found] == [[]]
